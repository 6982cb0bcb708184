"""`broadcast voices` and Cài đặt → Giọng đọc show how well each voice is understood (the figures the
intelligibility bench ships with broadcast) and how to get a better voice."""

from __future__ import annotations

import pytest

from broadcast.speech import intelligibility
from broadcast.station.settings import ESPEAK_VOICES

LANGUAGE = "vi"          # what the officer reads

FIGURES = """date: '2026-12-04'
sentences: 45
meter: viet-asr 0.1.0.dev11
voices:
  espeak:vi: 0.819
  espeak:vi-VN-x-south: 0.885
  piper:vi_VN-thu-tiny: 0.12
"""


@pytest.fixture
def figures(tmp_path, monkeypatch):
    path = tmp_path / "intelligibility.yaml"
    path.write_text(FIGURES, "utf-8")
    monkeypatch.setattr(intelligibility, "FIGURES", path)
    return path


def test_every_espeak_voice_has_a_shipped_figure():
    shipped = intelligibility.load_figures()
    assert all(f"espeak:{voice}" in shipped for voice in ESPEAK_VOICES)
    assert all(0 < m.wer < 1.5 and m.sentences >= 40 for m in shipped.values())


def test_the_figures_in_plain_words():
    assert [intelligibility.plain_words(w) for w in (0.1, 0.3, 0.5, 0.86)] == [
        "dễ nghe", "nghe được nhưng phải chú ý", "khó nghe", "rất khó nghe"]
    assert intelligibility.Measured(0.819, 45, "2026-12-04").words() == "82 % số từ bị nghe sai: rất khó nghe"


def test_cli_voices_shows_each_voices_figure_and_the_roads_to_a_better_one(figures, station_dir, capsys):
    from broadcast.cli import main

    with pytest.raises(SystemExit) as done:
        main(["-S", str(station_dir), "voices"])
    listing = capsys.readouterr().out
    assert done.value.code == 0
    lines = listing.splitlines()
    vi = next(line for line in lines if line.strip().startswith("espeak:vi "))
    assert "82 % số từ bị nghe sai: rất khó nghe" in vi
    central = next(line for line in lines if line.strip().startswith("espeak:vi-VN-x-central"))
    assert "chưa đo" in central
    assert lines.index(vi) < lines.index(central)                           # best first, unmeasured last
    assert "khoảng 10 %" in listing and "Thu âm" in listing and "USB" in listing and "trực tuyến" in listing

