"""Thu âm through the service: a reading recorded on a phone becomes the item's audio (cleaned,
bound to the approval, aired instead of a voice); the caps; an item in an ethnic-minority
language airs from a recording only."""

from __future__ import annotations

import datetime as dt

import pytest

from broadcast import service
from broadcast.errors import InputError
from broadcast.render.bulletin import Renderer
from broadcast.schedule import week
from broadcast.service.approval import ApprovalError
from broadcast.service.recording import record_item, report_of
from broadcast.station.settings import edit_station
from tests.conftest import measure, write_schedule, write_script
from tests.noisy_reading import build, write_wav

LANGUAGE = "vi"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def station(station_dir):
    write_script(station_dir / "scripts", "tin-a", valid_until="2099-12-31")                 # approved
    write_script(station_dir / "scripts", "tin-mong", approved=None, valid_until="2099-12-31", language="Mông",
                 body="Nyob zoo txhua tus. Lub zos yuav muaj kev sib tham.")
    return service.station.open_station(station_dir)


@pytest.fixture(scope="module")
def phone_wav(tmp_path_factory):
    reading = build(rate=48000)
    return write_wav(tmp_path_factory.mktemp("thu") / "dien-thoai.wav", reading.noisy, 48000, channels=2)


def test_a_recording_becomes_the_items_audio(station, phone_wav, ffmpeg):
    before = service.scripts.find(station, "tin-a")
    assert before.is_approved
    report = record_item(station, "tin-a", phone_wav, "dien-thoai.wav", "lan", NOW)
    item = service.scripts.find(station, "tin-a")
    assert item.audio == report.file and item.audio_path.is_file()
    assert not item.is_approved and item.approval_hash != before.approval_hash      # approve the recording again
    assert report.noise_reduction >= 12 and 1.0 <= report.trimmed_start <= 1.5 and report.trimmed_end >= 1.3
    assert abs(measure(ffmpeg, item.audio_path)["lufs"] + 16) <= 0.5
    assert report_of(station, item) == report
    result = Renderer(station).render([item], station.cache_dir / "b.wav")
    assert result.items[0].engine == "recording" and result.synthesized == 0       # no voice read it
    again = record_item(station, "tin-a", phone_wav, "lai.wav", "lan", NOW + dt.timedelta(minutes=5))   # redone
    assert service.scripts.find(station, "tin-a").audio == again.file != report.file
    assert (station.root / report.file).is_file()                                  # the earlier one is kept
    assert ("lan", "item.record") in [(a.user, a.action) for a in service.users.audit_log(station)]


def test_longer_than_allowed_is_refused_after_decoding_only_the_allowed_length(station, tmp_path):
    station = edit_station(station, {("console", "record_minutes"): 0.5})
    long_wav = write_wav(tmp_path / "dai.wav", build(repeat=4).noisy, 22050)       # ~40 s
    with pytest.raises(InputError) as caught:
        record_item(station, "tin-a", long_wav, "dai.wav", "lan", NOW)
    assert "dài quá 0.5 phút" in str(caught.value) and service.scripts.find(station, "tin-a").audio is None


def test_not_audio_and_silence_are_refused(station, tmp_path):
    text = tmp_path / "ghi-chu.webm"
    text.write_text("không phải âm thanh")
    with pytest.raises(InputError, match="không phải tệp âm thanh"):
        record_item(station, "tin-a", text, "ghi-chu.webm", "lan", NOW)
    import numpy as np
    silent = write_wav(tmp_path / "im.wav", np.zeros(22050 * 3, np.float32), 22050)
    with pytest.raises(InputError, match="im lặng"):
        record_item(station, "tin-a", silent, "im.wav", "lan", NOW)


def test_an_item_in_a_minority_language_is_never_voiced(station, phone_wav):
    write_schedule(station.root, """\
zones:
  thon-1: {name: Thôn 1, output: "file:out/thon-1"}
slots:
  - id: sang
    days: hằng ngày
    start: "06:00"
    length: 15m
    zones: all
    program: {intro: false, outro: false, items: [tin-a, tin-mong]}
""")
    item = service.scripts.find(station, "tin-mong")
    assert item.language == "Mông" and item.needs_recording
    with pytest.raises(InputError) as caught:
        Renderer(station).render([item], station.cache_dir / "m.wav")
    error = caught.value
    assert error.field == "language" and error.line == 7 and "Mông" in error.problem and "Thu âm" in error.hint
    checked = service.scripts.lint_scripts(station)
    assert [(p.field, p.line) for p in checked.problems if p.path == item.path] == [("language", 7)]
    assert not [w for w in checked.warnings if w.path == item.path]     # Mông is not Vietnamese without accents
    plan = week.load(station)
    assert "tin-mong" in plan.broken and "tin-mong" not in {i.id for i in plan.items}
    with pytest.raises(InputError):
        service.approval.submit(station, "tin-mong", "lan", NOW)
    record_item(station, "tin-mong", phone_wav, "mong.wav", "lan", NOW)
    item = service.scripts.find(station, "tin-mong")
    assert not item.needs_recording and item.language == "Mông"
    assert Renderer(station).render([item], station.cache_dir / "m.wav").items[0].engine == "recording"
    assert "tin-mong" in {i.id for i in week.load(station).items}


def test_vietnamese_written_as_a_language_is_the_usual_reading(station_dir):
    write_script(station_dir / "scripts", "tin-viet", language="Tiếng Việt", valid_until="2099-12-31")
    station = service.station.open_station(station_dir)
    item = service.scripts.find(station, "tin-viet")
    assert item.language is None and not item.needs_recording


def test_the_cli_records_an_item_from_a_file(station, phone_wav, capsys):
    from broadcast.cli import main

    with pytest.raises(SystemExit) as done:
        main(["-S", str(station.root), "items", "record", "tin-a", str(phone_wav), "--by", "lan"])
    assert done.value.code in (0, None)
    out = capsys.readouterr().out
    assert out.startswith("tin-a: audio/thu-am/tin-a-") and "tiếng ồn nền giảm" in out and "LUFS" in out
    assert service.scripts.find(station, "tin-a").audio is not None
