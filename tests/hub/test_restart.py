"""PostgreSQL restarts under the hub: requests answer 503 `unavailable` (never 500) until the pool
reconnects, and the LISTEN connection comes back so long-polls are woken again."""

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

from broadcast.hub import db
from broadcast.service import hub
from tests.hub.conftest import heartbeat_json, now


def test_hub_survives_a_postgresql_restart(enrol, client, hub_db, pg_cluster):
    station = enrol("xa-a")
    for _i in range(3):                                    # several pooled connections in use before
        assert station.post("/api/v1/heartbeat", heartbeat_json()).status_code == 200
    pg_cluster.restart()
    answers = []
    for _i in range(5):
        reply = station.post("/api/v1/heartbeat", heartbeat_json())
        answers.append(reply.status_code)
        if reply.status_code == 200:
            break
        assert reply.status_code == 503 and reply.json()["error"] == "unavailable", reply.text
        time.sleep(0.2)
    assert answers[-1] == 200 and len(answers) <= 2, answers
    waiters = client.app.state.hub.waiters
    deadline = time.monotonic() + 10
    while not waiters.listening.is_set():                  # LISTEN is back
        assert time.monotonic() < deadline
        time.sleep(0.1)
    with ThreadPoolExecutor(1) as threads:
        waiting = threads.submit(station.get, "/api/v1/bulletins?after=0&wait=20")
        time.sleep(0.5)
        with db.connect(hub_db) as other:
            start = now()
            draft = hub.Draft("Khẩn", "emergency", start, start + dt.timedelta(hours=1), "bien-tap", "Bão về.")
            sent = time.monotonic()
            hub.send_bulletin(other, draft, hub.Addressees(), now())
        assert len(waiting.result(timeout=20).json()["bulletins"]) == 1
        assert time.monotonic() - sent < 1.5
