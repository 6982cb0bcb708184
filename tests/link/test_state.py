"""The link's memory in station.db (migration 0016_30_link) and the loop's backoff, without a hub."""

import datetime as dt
from contextlib import closing
from zoneinfo import ZoneInfo

from broadcast.link import state
from broadcast.link.loop import BACKOFF_CAP, backoff
from broadcast.protocol.records import AsrunRecord
from broadcast.records import asrun
from broadcast.station import db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_backoff_grows_capped_with_jitter():
    waits = [backoff(n) for n in range(1, 30)]
    assert 1.0 <= waits[0] <= 3.0
    assert all(w <= BACKOFF_CAP * 1.5 for w in waits) and max(waits) >= BACKOFF_CAP * 0.5
    assert len({round(backoff(5), 6) for _ in range(20)}) > 1          # jittered


def test_migration_and_pending_rows(tmp_path):
    with closing(db.connect(tmp_path / "station.db")) as conn:
        assert "0016_30_link" in {r[0] for r in conn.execute("SELECT name FROM migrations")}
        now = dt.datetime(2026, 12, 4, 12, 0, tzinfo=TZ)
        old = now - dt.timedelta(days=1)
        conn.execute("INSERT INTO asrun (occurrence, attempt, slot, zone, output, scheduled, status) "
                     "VALUES ('o1', 1, 's', 'z', 'pulse', ?, 'missed')", (old.isoformat(),))   # before tokens
        hour_ago = now - dt.timedelta(hours=1)
        asrun.begin(conn, occurrence="o2", attempt=1, slot="s", zone="z", output="pulse", scheduled=hour_ago,
                    started=hour_ago, planned=60, items=[], audio=None, token="t2")      # a dead daemon's, later
        fresh = asrun.begin(conn, occurrence="o3", attempt=1, slot="s", zone="z", output="pulse", scheduled=now,
                            started=now, planned=60, items=[], audio=None, token="t3")
        asrun.begin(conn, occurrence="o4", attempt=1, slot="s", zone="z", output="pulse", scheduled=now,
                    started=now, planned=60, items=[], audio=None, token="t4")
        conn.execute("UPDATE asrun SET status = 'completed' WHERE occurrence = 'o4'")
        pending = state.pending(conn, now, 500)
        assert [r.occurrence for _i, r in pending] == ["o1"]          # o2 plays: o3, o4 wait behind it
        assert pending[0][1].token.startswith("r-") and pending[0][1].token == state.pending(conn, now, 500)[0][1].token
        state.acknowledged(conn, pending[0][0])
        asrun.finish(conn, fresh, "completed", now, 60)
        assert [r.token for _i, r in state.pending(conn, now, 500)] == []       # o2 still playing, not stale yet
        later = now + dt.timedelta(hours=7)                   # o2 is stale: it no longer holds the others back
        assert [r.token for _i, r in state.pending(conn, later, 500)] == ["t3", "t4"]
        assert state.waiting(conn) == 3


def test_a_long_error_is_cut_to_the_protocol_limit(tmp_path):
    with closing(db.connect(tmp_path / "station.db")) as conn:
        now = dt.datetime(2026, 12, 4, 12, 0, tzinfo=TZ)
        row = asrun.begin(conn, occurrence="o1", attempt=1, slot="s", zone="z", output="pulse", scheduled=now,
                          started=now, planned=60, items=[], audio=None, token="t1")
        asrun.finish(conn, row, "failed", now, 0.0, error="Traceback …\n" * 1000)
        record = state.pending(conn, now, 10)[0][1]
    assert len(record.error) == 2000 and record.error.endswith("…")
    assert AsrunRecord.from_json(record.to_json()) == record         # what the hub checks, it accepts
