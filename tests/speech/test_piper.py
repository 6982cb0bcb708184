"""piper voices: load-and-synthesize through onnxruntime with a tiny generated model."""

import numpy as np
import pytest

from broadcast.errors import InputError
from broadcast.speech.piper import PiperEngine, install_voice, phoneme_ids
from tests.piper_model import write_tiny_voice


def test_phoneme_ids_follow_piper():
    ids = phoneme_ids("ab", {"_": [0], "^": [1], "$": [2], "a": [5], "b": [6]})
    assert ids == [1, 5, 0, 6, 0, 2]


def test_tiny_voice_speaks_with_length_from_the_phonemes(tmp_path):
    engine = PiperEngine(write_tiny_voice(tmp_path))
    assert engine.available()
    short = engine.synthesize("xin chào")
    long = engine.synthesize("xin chào bà con nhân dân xã Minh Đức")
    assert short.rate == 22050 and long.duration > short.duration > 0.1
    assert np.abs(short.samples).max() > 10000


def test_unavailable_says_why(tmp_path):
    assert "no piper voice configured" in PiperEngine(None).available().reason
    assert "not found" in PiperEngine(tmp_path / "x.onnx").available().reason


def test_voices_add_checks_and_installs(tmp_path):
    voice = write_tiny_voice(tmp_path / "download")
    station = tmp_path / "station"
    station.mkdir()
    installed = install_voice(voice, station)
    assert installed == station / "voices" / voice.name
    assert installed.with_name(voice.name + ".json").exists()


def test_voices_add_refuses_a_broken_voice(tmp_path):
    bad = tmp_path / "hong.onnx"
    bad.write_bytes(b"not a model")
    bad.with_name("hong.onnx.json").write_text('{"audio": {"sample_rate": 22050}, "phoneme_id_map": {}}')
    with pytest.raises(InputError) as caught:
        install_voice(bad, tmp_path)
    assert "hong.onnx" in str(caught.value)
    (tmp_path / "hong.onnx.json").write_text("{not json")
    with pytest.raises(InputError) as caught:
        install_voice(bad, tmp_path)
    assert "not valid JSON" in str(caught.value)


def test_cli_voices_lists_and_tries_each_engine(station_dir, tmp_path, capsys):
    from broadcast.cli import main

    voice = write_tiny_voice(tmp_path / "download")
    with pytest.raises(SystemExit) as done:
        main(["-S", str(station_dir), "voices", "add", str(voice)])
    assert done.value.code == 0 and "piper_voice: voices/vi_VN-thu-tiny.onnx" in capsys.readouterr().out
    (station_dir / "station.yaml").write_text((station_dir / "station.yaml").read_text(encoding="utf-8").replace(
        "engines: [espeak]", "engines: [piper, espeak]\n  piper_voice: voices/vi_VN-thu-tiny.onnx"), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["-S", str(station_dir), "voices"])
    listing = capsys.readouterr().out
    assert "piper    1         yes        vi_VN-thu-tiny" in listing and "espeak   2" in listing
    out = tmp_path / "thu.wav"
    with pytest.raises(SystemExit) as done:
        main(["-S", str(station_dir), "voices", "try", "piper", "Xin chào 100% bà con", "-o", str(out)])
    assert done.value.code == 0 and out.exists() and "(piper," in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        main(["-S", str(station_dir), "voices", "try", "espeak:khong-co", "xin chào", "-o", str(out)])
    assert done.value.code == 1 and "no voice 'khong-co'" in capsys.readouterr().err


def test_render_records_the_piper_engine_per_item(station_dir, tmp_path):
    from broadcast.news.scripts import load_scripts
    from broadcast.render.bulletin import Renderer
    from broadcast.station.settings import load_station
    from tests.conftest import write_script

    install_voice(write_tiny_voice(tmp_path / "download"), station_dir)
    (station_dir / "station.yaml").write_text((station_dir / "station.yaml").read_text(encoding="utf-8").replace(
        "engines: [espeak]", "engines: [piper, espeak]\n  piper_voice: voices/vi_VN-thu-tiny.onnx"), encoding="utf-8")
    write_script(station_dir / "scripts", "tin-a")
    result = Renderer(load_station(station_dir)).render(load_scripts([station_dir / "scripts"]), tmp_path / "b.wav")
    assert [i.engine for i in result.items] == ["piper"]
