"""The bundled sample station works on any date: today (the real clock) and two years ahead,
its schedule check finds nothing and a simulated week airs every slot."""

from __future__ import annotations

import datetime as dt

import pytest

from broadcast import service
from tests.conftest import REPO


@pytest.mark.parametrize("years_ahead", [0, 2])
def test_sample_station_checks_clean_and_airs_a_whole_week(tmp_path, years_ahead):
    station = service.station.open_station(REPO)
    today = service.station.now(station).date()
    day = today.replace(year=today.year + years_ahead) if (today.month, today.day) != (2, 29) else today
    check = service.week.check_week(station, day.isoformat(), today)
    assert check.problems == [] and check.warnings == []
    monday = day - dt.timedelta(days=day.weekday())
    sim = service.playout.simulate(station, monday, 7, tmp_path / "sim")
    assert sim.rows and set(sim.counts) == {"completed"}, sim.counts


def test_the_yearly_event_airs_on_10_10_every_year(tmp_path):
    station = service.station.open_station(REPO)
    for year in (2026, 2031):
        plan = service.week.plan_week(station, f"{year}-10-10", dt.date(year, 1, 1))
        assert [r.slot for r in plan.rows if r.day == dt.date(year, 10, 10)][0] == "ngay-cds"
