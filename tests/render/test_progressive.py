"""A preview streamed as it renders: the opening (the intro, or the title voiced first when the
station has no intro) at the gain the finished bulletin gives it, then the finished file itself."""

import io
import json

import numpy as np
import pytest

from broadcast.news.scripts import parse_script
from broadcast.render.bulletin import Renderer
from broadcast.render.progressive import stream_preview
from broadcast.sound import audio, dsp
from broadcast.sound.mix import assemble
from broadcast.station.settings import load_station
from tests.conftest import write_script

BODY = ("Kính thưa bà con nhân dân! Bộ phận Một cửa xã đã tiếp nhận 1.250 hồ sơ trong quý.\n\n"
        "Bà con liên hệ Bộ phận Một cửa từ 7 giờ 30 đến 17 giờ các ngày làm việc.")


@pytest.mark.parametrize("intro", ["audio/jingles/intro.wav", None])
def test_the_stream_is_the_aired_file_after_its_opening(station_dir, intro):
    if intro is None:
        path = station_dir / "station.yaml"
        path.write_text(path.read_text("utf-8").replace("intro: audio/jingles/intro.wav", "intro: null"), "utf-8")
    station = load_station(station_dir)
    item = parse_script(write_script(station_dir / "scripts", "tin-a", BODY))
    sink = io.BytesIO()
    out = station.cache_dir / "preview" / "tin-a.wav"
    stream_preview(Renderer(station), item, out, sink)

    heard = np.frombuffer(sink.getvalue()[44:], dtype="<i2")
    aired = audio.read_wav(out).samples
    opening = Renderer(station).opening(item)
    cut = len(assemble(opening, station.mix.sample_rate).samples)
    assert [p.kind for p in opening] == (["jingle", "silence"] if intro else ["speech"])
    assert len(heard) == len(aired) and 0 < cut < len(aired)
    assert np.array_equal(heard[cut:], aired[cut:])
    rate = station.mix.sample_rate
    loudness = [dsp.integrated_loudness(dsp.as_float(x), rate) for x in (heard, aired, heard[:cut], aired[:cut])]
    assert abs(loudness[0] - loudness[1]) <= 1.0 and abs(loudness[2] - loudness[3]) <= 1.0
    [error] = json.loads((station.cache_dir / "preview" / "opening-gain-errors.json").read_text())
    assert abs(error) <= 1.0              # learned: how far the expected gain was from the one the opening got
