import datetime as dt
import sqlite3

import pytest

from broadcast.cli import main
from broadcast.schedule.queue import QueueError
from broadcast.schedule.week import queue_add, queue_list, queue_remove
from broadcast.station import db
from broadcast.station.settings import load_station


def _run(root, *args):
    with pytest.raises(SystemExit) as done:
        main(["-S", str(root), *args])
    return done.value.code


def test_migrations_are_named_applied_once_and_wal(tmp_path):
    path = tmp_path / "station.db"
    conn = db.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2      # FULL
    names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [name for name, _ in db.MIGRATIONS]
    conn.close()
    later = db.MIGRATIONS + [("9999_extra", "CREATE TABLE extra (x INTEGER)")]
    conn = db.connect(path, later)
    assert db.migrate(conn, later) == []
    assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(later)


def test_failed_migration_leaves_nothing_half_done(tmp_path):
    bad = db.MIGRATIONS + [("0002_bad", "CREATE TABLE t (x INTEGER); CREATE TABLE t (y INTEGER)")]
    with pytest.raises(db.DatabaseError):
        db.connect(tmp_path / "station.db", bad)
    conn = sqlite3.connect(tmp_path / "station.db")
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM migrations WHERE name = '0002_bad'").fetchone()[0] == 0


def test_queue_survives_a_restart_and_says_where_it_airs(planned_station):
    station = load_station(planned_station)
    now = dt.datetime(2024, 3, 18, 8, 0, tzinfo=station.tz)
    entry, targets = queue_add(station, "tin-b", now, "chieu", None, None, "priority")
    assert targets == ["2024-03-18/chieu/thon-1"]
    again = load_station(planned_station)            # a new process would do the same
    [(listed, where)] = queue_list(again)
    assert listed == entry and where == targets
    assert queue_remove(again, entry.id).script == "tin-b"
    assert queue_list(again) == []


@pytest.mark.parametrize("kwargs, words", [
    ({"script": "tin-x"}, "unknown script 'tin-x'"),
    ({"slot": "trua"}, "unknown slot 'trua'"),
    ({"zone": "thon-9"}, "unknown zone 'thon-9'"),
    ({"slot": "chieu", "zone": "thon-2"}, "does not air on zone 'thon-2'"),
    ({"date": dt.date(2025, 1, 1)}, "not on 01/01/2025"),
])
def test_bad_requests_are_refused(planned_station, kwargs, words):
    station = load_station(planned_station)
    args = {"script": "tin-b", "now": dt.datetime(2024, 3, 18, tzinfo=station.tz), "slot": None,
            "date": None, "zone": None, "priority": "normal", **kwargs}
    with pytest.raises(QueueError) as caught:
        queue_add(station, **args)
    assert words in str(caught.value)
    assert queue_list(station) == []


def test_cli_queue_round_trip(planned_station, capsys):
    assert _run(planned_station, "queue", "add", "tin-c", "--slot", "sang", "--date", "2024-03-22",
                "--zone", "thon-2") == 0
    assert "2024-03-22/sang/thon-2" in capsys.readouterr().out
    assert _run(planned_station, "queue", "list") == 0
    assert "tin-c" in capsys.readouterr().out
    assert _run(planned_station, "queue", "remove", "1") == 0
    assert _run(planned_station, "queue", "remove", "1") == 1
    assert "no queue entry 1" in capsys.readouterr().err
