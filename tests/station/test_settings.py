"""station.yaml: every setting is type- and range-checked, with the file, line and field, before any
code uses it (a rate of 0 or a NaN would silence or hang the station)."""

from __future__ import annotations

import pytest

from broadcast.errors import InputError
from broadcast.station.settings import load_station

CASES = {
    "timezone: 5": ("timezone", "expected text"),
    "lexicon: 5": ("lexicon", "expected text"),
    "mix: {intro: 5}": ("mix.intro", "expected text"),
    "speech: {rate: 0}": ("speech.rate", "out of range"),
    "speech: {rate: .nan}": ("speech.rate", "expected a number"),
    "mix: {gap: -1}": ("mix.gap", "out of range"),
    "mix: {gap: .inf}": ("mix.gap", "expected a number"),
    "playout: {keep_aired_days: 2.5}": ("playout.keep_aired_days", "whole number"),
    "speech: {engines: [espeak, 5]}": ("speech.engines", "list of names"),
    "speech: {voice: vi-north}": ("speech.voice", "no voice 'vi-north'"),     # was read as "vi", silently
    "console: {upload_mb: 1.0e+12}": ("console.upload_mb", "out of range"),
    "console: {upload_mb: 1e12}": ("console.upload_mb", "expected a number"),   # YAML 1.1: a string
    "speech: {engines: [fpt, espeak, fpt]}": ("speech.engines.2", "listed twice"),
    "speech: {engines: [fpt, zalo, espeak]}": ("speech.engines.1", "unknown engine 'zalo'"),
    "speech: {fpt_voice: ngocanh}": ("speech.fpt_voice", "no voice 'ngocanh'"),
    "speech: {google_voice: vi-VN-Neural2-B}": ("speech.google_voice", "no voice 'vi-VN-Neural2-B'"),
    "speech: {viettel_speed: 2.0}": ("speech.viettel_speed", "out of range"),
    "speech: {fpt_speed: 4}": ("speech.fpt_speed", "out of range"),
}


@pytest.mark.parametrize("line", list(CASES))
def test_a_wrong_setting_names_file_line_and_field(tmp_path, line):
    (tmp_path / "station.yaml").write_text(f"name: Đài xã\n{line}\n", "utf-8")
    field, problem = CASES[line]
    with pytest.raises(InputError) as found:
        load_station(tmp_path)
    assert (found.value.line, found.value.field) == (2, field) and problem in found.value.problem


def test_the_sample_station_passes_every_check():
    from tests.conftest import REPO

    station = load_station(REPO)
    assert station.speech.rate == 150 and station.mix.gap == 1.2


def test_the_whole_chain_of_engines_loads_in_order(tmp_path):
    (tmp_path / "station.yaml").write_text(
        "speech:\n  engines: [fpt, viettel, google, piper, korvatts, gtts, espeak]\n  fpt_voice: lannhi\n", "utf-8")
    station = load_station(tmp_path)
    assert station.speech.engines == ("fpt", "viettel", "google", "piper", "korvatts", "gtts", "espeak")
    assert station.speech.fpt_voice == "lannhi"


def test_a_wrong_engine_is_said_in_vietnamese_with_its_line(tmp_path):
    from broadcast import i18n

    (tmp_path / "station.yaml").write_text("name: Đài xã\nspeech:\n  engines:\n    - espeak\n    - espeak\n", "utf-8")
    i18n.use_language("vi")
    try:
        with pytest.raises(InputError) as found:
            load_station(tmp_path)
    finally:
        i18n.use_language("en")
    assert found.value.line == 5 and "có hai lần trong danh sách" in str(found.value)


def test_an_online_voice_changes_the_sound_only_when_it_is_in_the_chain(tmp_path):
    (tmp_path / "station.yaml").write_text("speech:\n  engines: [espeak]\n  fpt_voice: lannhi\n", "utf-8")
    assert "fpt" not in load_station(tmp_path).sound_settings()          # the station's cache stays valid
    (tmp_path / "station.yaml").write_text("speech:\n  engines: [fpt, espeak]\n  fpt_voice: lannhi\n", "utf-8")
    assert load_station(tmp_path).sound_settings()["fpt"] == ["lannhi", 0]
