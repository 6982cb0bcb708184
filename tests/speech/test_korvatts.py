"""korvatts voices: our own onnxruntime loader on a tiny model the test builds with korvatts'
input/output names and shapes (tests/korvatts_model.py), and `voices install` from a folder or a
zip: checked (files, size, licence, a sentence voiced), nothing fetched from the network."""

import socket
import zipfile

import numpy as np
import pytest

from broadcast.errors import EngineError, InputError
from broadcast.speech.install import install
from broadcast.speech.korvatts import KorvaEngine, front_end
from tests.korvatts_model import write_tiny_korvatts


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a korvatts voice must never touch the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_front_end_decomposes_vietnamese_and_ends_the_sentence():
    said = front_end("Bà  con “xã” Đức")
    assert said.startswith("<vi>") and said.endswith(".</vi>")
    assert "\u0300" in said and "à" not in said            # NFKD: a + combining grave
    assert '"xã"' not in said and '"xa\u0303"' in said


def test_the_tiny_model_speaks_at_its_length_and_deterministically(tmp_path, no_network):
    engine = KorvaEngine(write_tiny_korvatts(tmp_path / "m"))
    assert engine.available() and engine.voices() == ["hoang_nam", "khanh_vy"]
    short = engine.synthesize("Xin chào.")
    long = engine.synthesize("Xin chào bà con nhân dân xã Minh Đức. Hôm nay xã họp về cải cách hành chính.")
    assert short.rate == 16000 and long.duration > 3 * short.duration
    assert np.abs(long.samples).max() > 10000
    assert np.array_equal(engine.synthesize("Xin chào.").samples, short.samples)   # seeded: cacheable
    assert engine.settings("khanh_vy")["speaker"] == "khanh_vy"


def test_text_longer_than_one_pass_is_read_in_sentences(tmp_path):
    engine = KorvaEngine(write_tiny_korvatts(tmp_path / "m"))
    one = "Ủy ban nhân dân xã thông báo tới toàn thể bà con về việc nộp hồ sơ trực tuyến. "
    speech = engine.synthesize(one * 8)                     # ~650 characters: three passes of <= 300
    assert speech.duration > 8 * len(one) * 0.06 / 1.05 * 0.9


def test_a_broken_model_says_what_is_wrong(tmp_path):
    folder = write_tiny_korvatts(tmp_path / "m")
    (folder / "onnx" / "vocoder.onnx").unlink()
    assert "onnx/vocoder.onnx" in KorvaEngine(folder).available().reason
    folder = write_tiny_korvatts(tmp_path / "n")
    (folder / "onnx" / "vocoder.onnx").write_bytes((folder / "onnx" / "text_encoder.onnx").read_bytes())
    with pytest.raises(EngineError) as caught:
        KorvaEngine(folder).synthesize("xin chào")
    assert "no input 'latent'" in caught.value.message


def test_install_from_a_folder_copies_it_with_its_licence(tmp_path, no_network):
    station = tmp_path / "station"
    station.mkdir()
    done = install(write_tiny_korvatts(tmp_path / "usb" / "KorvaTTS"), station)
    assert done.engine == "korvatts" and done.path.parent == station / "voices"
    assert done.path.name.startswith("korvatts-") and done.voices == ("hoang_nam", "khanh_vy")
    assert "Apache License" in done.licence and (done.path / "LICENSE").exists()
    assert KorvaEngine(done.path).synthesize("Xin chào bà con.").duration > 0.5
    assert not [p for p in (station / "voices").iterdir() if p.name.startswith(".")]   # no staging left


def test_install_from_a_zip_with_the_model_one_folder_down(tmp_path, no_network):
    folder = write_tiny_korvatts(tmp_path / "src" / "KorvaTTS")
    archive = tmp_path / "korvatts.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in folder.rglob("*"):
            z.write(path, path.relative_to(folder.parent))
    station = tmp_path / "station"
    station.mkdir()
    assert install(archive, station).voices == ("hoang_nam", "khanh_vy")


def test_install_refuses_what_is_not_a_checked_voice(tmp_path):
    station = tmp_path / "station"
    station.mkdir()
    with pytest.raises(InputError) as caught:
        install(write_tiny_korvatts(tmp_path / "a", licence=False), station)
    assert "no licence text" in caught.value.problem
    folder = write_tiny_korvatts(tmp_path / "b")
    (folder / "onnx" / "tts.json").unlink()
    with pytest.raises(InputError) as caught:
        install(folder, station)
    assert "onnx/tts.json" in caught.value.problem
    with pytest.raises(InputError) as caught:
        install(write_tiny_korvatts(tmp_path / "c"), station, max_mb=0.01)
    assert "larger than" in caught.value.problem
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../../etc/cron.d/x", "boom")
    with pytest.raises(InputError) as caught:
        install(evil, station)
    assert "outside the archive" in caught.value.problem
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(InputError) as caught:
        install(tmp_path / "bad.zip", station)
    assert "not a zip file" in caught.value.problem
    assert not list((station / "voices").glob("korvatts-*"))


def test_a_bulletin_is_read_by_the_installed_korvatts_voice(station_dir, tmp_path, no_network):
    from broadcast.news.scripts import load_scripts
    from broadcast.render.bulletin import Renderer
    from broadcast.speech.checking import check_engine
    from broadcast.station.settings import load_station
    from tests.conftest import write_script

    done = install(write_tiny_korvatts(tmp_path / "usb"), station_dir)
    relative = done.path.relative_to(station_dir)
    (station_dir / "station.yaml").write_text((station_dir / "station.yaml").read_text("utf-8").replace(
        "engines: [espeak]", f"engines: [korvatts, espeak]\n  korvatts_voice: {relative}\n"
                             "  korvatts_speaker: khanh_vy"), "utf-8")
    station = load_station(station_dir)
    write_script(station_dir / "scripts", "tin-a")
    result = Renderer(station).render(load_scripts([station_dir / "scripts"]), tmp_path / "b.wav")
    assert [i.engine for i in result.items] == ["korvatts"]
    from broadcast.speech.registry import build_engines

    assert check_engine(build_engines(station)[0]).kind == "works"


def test_voices_install_takes_a_piper_voice_too(tmp_path):
    from tests.piper_model import write_tiny_voice

    station = tmp_path / "station"
    station.mkdir()
    done = install(write_tiny_voice(tmp_path / "usb"), station)
    assert done.engine == "piper" and done.path == station / "voices" / "vi_VN-thu-tiny.onnx"
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(InputError) as caught:
        install(tmp_path / "x.txt", station)
    assert "not a voice file" in caught.value.problem
