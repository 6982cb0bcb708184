"""Nhập văn bản through the service layer: proposals saved as drafts with their source; an
imported item airs only once read, and goes for approval only once each marked paragraph
from a scan was looked at; a failed import leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from broadcast import service
from broadcast.errors import BroadcastError, InputError
from broadcast.news.scripts import load_scripts
from broadcast.schedule.plan import plan
from broadcast.schedule.weekly import load_schedule
from broadcast.station.settings import load_station
from tests.intake.documents import write_docx
from tests.schedule.test_plan import MINUTE

NOW = dt.datetime(2024, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
MONDAY = dt.date(2024, 3, 18)


def _aired(root) -> set[str]:
    week = plan(load_schedule(root / "schedules"), load_scripts([root / "scripts"]), [], MONDAY,
                MONDAY + dt.timedelta(days=14), MINUTE)
    return {i.script for o in week for i in o.program.items}


def test_a_plan_imported_from_the_command_line_waits_to_be_read(planned_station, tmp_path):
    station = load_station(planned_station)
    before = _aired(planned_station)
    job, saved = service.intake.import_file(station, write_docx("2024-xa-minh-duc", tmp_path / "kh.docx"), "vhxh", NOW)
    assert len(saved) == len(job.proposals) == 8
    first = saved[0]
    assert first.status == "draft" and first.written_by == "vhxh"
    assert first.source.file == "kh.docx" and first.source.pages == (1,) and not first.source.reviewed
    assert not first.airable
    assert _aired(planned_station) == before                       # approval or not, it does not air yet
    assert not list((station.cache_dir / "imports").glob("*"))      # the job folder is gone


def test_sending_an_imported_item_for_approval_is_reading_it(planned_station, tmp_path):
    station = load_station(planned_station)
    _, saved = service.intake.import_file(station, write_docx("2024-xa-minh-duc", tmp_path / "kh.docx"), None, NOW)
    service.users.add_user(station, "vhxh", "editor", "mat-khau-dai-1", NOW)
    sent = service.approval.submit(station, saved[0].id, "vhxh", NOW)
    assert sent.source.reviewed and sent.airable and sent.status == "pending"


def test_marked_paragraphs_from_a_scan_block_approval_until_looked_at(planned_station, tmp_path):
    station = load_station(planned_station)
    started = service.intake.start(station, write_docx("2024-xa-minh-duc", tmp_path / "kh.docx").read_bytes(), "kh.docx")
    done = service.intake.read(station, started.token)
    garbled = replace(done.proposals[0], marked=(0, 2), scanned=True)
    service.users.add_user(station, "vhxh", "editor", "mat-khau-dai-1", NOW)
    kept, looked = service.intake.save(station, started.token, [garbled, garbled], "vhxh", NOW, checked=[(1,), (1, 3)])
    assert kept.source.to_check == (3,) and not kept.airable
    assert looked.source.to_check == () and looked.airable
    with pytest.raises(BroadcastError) as refused:
        service.approval.submit(station, kept.id, "vhxh", NOW)
    assert "1" in str(refused.value)
    assert service.approval.submit(station, looked.id, "vhxh", NOW).status == "pending"


def test_a_failed_import_leaves_no_item_and_no_job(planned_station, tmp_path):
    station = load_station(planned_station)
    before = sorted(p.name for p in (planned_station / "scripts").iterdir())
    broken = tmp_path / "kh.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    with pytest.raises(InputError):
        service.intake.import_file(station, broken, None, NOW)
    assert sorted(p.name for p in (planned_station / "scripts").iterdir()) == before
    assert not list((station.cache_dir / "imports").glob("*"))


def test_a_job_token_cannot_leave_the_imports_folder(planned_station):
    station = load_station(planned_station)
    for token in ("../../scripts", "..", "a/b", ""):
        with pytest.raises(InputError):
            service.intake.job(station, token)


def test_a_reading_that_died_says_so(planned_station, tmp_path):
    station = load_station(planned_station)
    started = service.intake.start(station, b"PK\x03\x04", "kh.docx")
    failed = service.intake.give_up(station, started.token)
    assert failed.stage == "failed" and failed.message and service.intake.job(station, started.token).stage == "failed"
