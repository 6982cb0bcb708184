import dataclasses
import subprocess

import pytest

from broadcast.cli import main
from broadcast.errors import BroadcastError
from broadcast.news.scripts import load_scripts
from broadcast.render.bulletin import Renderer
from broadcast.station.settings import load_station
from tests.conftest import measure, write_script

BODY_A = """Kính thưa bà con nhân dân! Thực hiện Kế hoạch số 45/KH-UBND ngày 10/01/2024, 100% TTHC đã được cung cấp trực tuyến.

Bà con liên hệ Bộ phận Một cửa từ 7h30 đến 17h00."""
BODY_B = "Chỉ số SIPAS năm 2023 đạt 84,62%, tăng 2,15% so với năm 2022."


@pytest.fixture
def items(station_dir):
    write_script(station_dir / "scripts", "tin-a", BODY_A)
    write_script(station_dir / "scripts", "tin-b", BODY_B, topic="chi-so")
    return load_scripts([station_dir / "scripts"])


def test_bulletin_meets_loudness_and_peak_targets(station_dir, items, ffmpeg):
    station = load_station(station_dir)
    out = station_dir / "out" / "b.wav"
    result = Renderer(station).render(items, out)
    measured = measure(ffmpeg, out)
    assert abs(measured["lufs"] - station.mix.target_lufs) <= 0.5
    assert measured["true_peak"] <= station.mix.true_peak
    assert abs(measured["seconds"] - result.duration) < 0.1
    assert [i.id for i in result.items] == ["tin-a", "tin-b"]
    assert all(i.engine == "espeak" and i.duration > 2 for i in result.items)
    intro_outro = 4.0 + 3.8
    assert result.duration > intro_outro + sum(i.duration for i in result.items)


def test_mp3_copy_is_mono_64k_and_decodes(station_dir, items, ffmpeg):
    out = station_dir / "b.wav"
    result = Renderer(load_station(station_dir)).render(items, out, mp3=True)
    info = subprocess.run([ffmpeg, "-hide_banner", "-i", str(result.mp3)], capture_output=True, text=True).stderr
    assert "mp3" in info and "mono" in info and "64 kb/s" in info
    assert abs(measure(ffmpeg, result.mp3)["seconds"] - result.duration) < 0.2


def test_remix_with_cached_speech_synthesizes_nothing(station_dir, items):
    station = load_station(station_dir)
    first = Renderer(station).render(items, station_dir / "1.wav")
    assert first.synthesized == 5          # two titles and three paragraphs
    for cached in (station_dir / "cache" / "bulletins").iterdir():
        cached.unlink()
    again = Renderer(station).render(items, station_dir / "2.wav")
    assert again.synthesized == 0 and not again.reused and all(i.cached for i in again.items)


def test_rerender_synthesizes_nothing_and_reuses_the_bulletin(station_dir, items):
    station = load_station(station_dir)
    Renderer(station).render(items, station_dir / "1.wav")
    result = Renderer(station).render(items, station_dir / "2.wav")
    assert result.synthesized == 0 and result.reused
    assert (station_dir / "1.wav").read_bytes() == (station_dir / "2.wav").read_bytes()
    # copies, not hard links into the cache: editing an output never changes the cache
    assert all((station_dir / name).stat().st_nlink == 1 for name in ("1.wav", "2.wav"))
    cached = next((station_dir / "cache" / "bulletins").glob("*.wav"))
    assert cached.stat().st_nlink == 1



def test_changed_item_resynthesizes_only_that_item(station_dir, items):
    station = load_station(station_dir)
    Renderer(station).render(items, station_dir / "1.wav")
    write_script(station_dir / "scripts", "tin-b", BODY_B + " Xin cảm ơn bà con.", topic="chi-so")
    changed = load_scripts([station_dir / "scripts"])
    result = Renderer(station).render(changed, station_dir / "2.wav")
    assert result.synthesized == 1 and not result.reused
    assert [i.cached for i in result.items] == [True, False]


def test_failed_render_leaves_no_file(station_dir, items):
    station = load_station(station_dir)
    broken = dataclasses.replace(station, output=dataclasses.replace(station.output, mp3_bitrate="nonsense"))
    out = station_dir / "out" / "b.mp3"
    with pytest.raises(BroadcastError):
        Renderer(broken).render(items, out)
    assert not out.exists()
    assert list((station_dir / "out").iterdir()) == []


def test_missing_jingle_is_a_clear_error(station_dir, items):
    (station_dir / "audio" / "jingles" / "intro.wav").unlink()
    with pytest.raises(BroadcastError, match="intro.wav not found") as info:
        Renderer(load_station(station_dir)).render(items, station_dir / "b.wav")
    assert "broadcast jingles" in info.value.hint
    assert not (station_dir / "b.wav").exists()


def test_render_command_prints_the_figures(station_dir, items, capsys):
    with pytest.raises(SystemExit) as done:
        main(["-S", str(station_dir), "render", str(station_dir / "scripts"), "-o", str(station_dir / "b.flac")])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "tin-a" in out and "espeak" in out and "LUFS" in out and "dBTP" in out


def test_render_command_rejects_bad_scripts(station_dir, capsys):
    write_script(station_dir / "scripts", "bad", topic="cchc")
    with pytest.raises(SystemExit) as done:
        main(["-S", str(station_dir), "render", str(station_dir / "scripts"), "-o", str(station_dir / "b.wav")])
    assert done.value.code == 1
    assert "bad.md, line 4: topic" in capsys.readouterr().err
    assert not (station_dir / "b.wav").exists()


def test_jingles_command_regenerates(station_dir, capsys):
    for f in (station_dir / "audio" / "jingles").iterdir():
        f.unlink()
    with pytest.raises(SystemExit):
        main(["-S", str(station_dir), "jingles"])
    names = sorted(p.name for p in (station_dir / "audio" / "jingles").iterdir())
    assert names == ["bed.wav", "intro.wav", "outro.wav", "separator.wav"]
