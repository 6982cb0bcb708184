"""A second process that edits a station as the console would: `python -m tests.station_writer
ROOT SECONDS` saves new and changed scripts and queue entries through the service layer in a
loop, then prints what it wrote as JSON."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from broadcast import service
from broadcast.service.scripts import Draft


def main(root: str, seconds: str) -> None:
    station = service.station.open_station(Path(root))
    later = service.station.now(station).date() + dt.timedelta(days=7)
    created, edits, queued = [], 0, []
    deadline = time.monotonic() + float(seconds)
    n = 0
    while time.monotonic() < deadline:
        n += 1
        body = f"Bản tin lần {n}. " + "Bà con nộp hồ sơ trực tuyến. " * (n % 7 + 1)
        draft = Draft(id="tin-sua", title=f"Tin sửa lần {n}", topic="dich-vu-cong",
                      valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2099, 12, 31), body=body)
        service.scripts.save_script(station, draft)
        edits += 1
        if n % 3 == 0:
            new_id = f"tin-moi-{n}"
            service.scripts.save_script(station, Draft(**{**draft.__dict__, "id": new_id, "title": new_id}))
            created.append(new_id)
            queued.append(service.week.queue_add(station, new_id, service.station.now(station), date=later).entry.id)
        time.sleep(0.05)
    print(json.dumps({"created": created, "edits": edits, "queued": queued}))


if __name__ == "__main__":
    main(*sys.argv[1:])
