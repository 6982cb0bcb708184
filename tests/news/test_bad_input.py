"""Input that is not what it should be (issue 17.9): named by file and line, never quoted."""

import re
import subprocess
import sys
import time

import pytest

from broadcast.errors import InputError
from broadcast.news.lint import check_news
from broadcast.normalize import lexicon
from broadcast.station.settings import load_station
from tests.conftest import write_script


def test_a_file_that_is_not_a_lexicon_is_refused_without_quoting_it(tmp_path):
    shadow = tmp_path / "shadow"
    shadow.write_text("root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        lexicon.load(shadow)
    assert "SECRETHASH" not in str(caught.value) and "daemon" not in str(caught.value)
    assert caught.value.line == 1 and "not a lexicon" in caught.value.problem
    shadow.write_text("passwd-line: x\nwords:\n  UBND: ủy ban nhân dân\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        lexicon.load(shadow)
    assert "passwd-line" not in str(caught.value)


def test_a_voice_no_engine_has_is_a_located_warning(station_dir):
    write_script(station_dir / "scripts", "tin-a", voice="giong-khong-co")
    result = check_news(load_station(station_dir), [station_dir / "scripts"])
    [warning] = [w for w in result.warnings if w.field == "voice"]
    assert warning.line is not None and "giong-khong-co" in warning.problem and "vi-VN-x-south" in warning.hint
    assert result.items                                       # still airs, in the engine's own voice


@pytest.mark.parametrize("tag", ["!!float x", "!!binary aGVsbG8=", "!!python/name:os.system", "!foo bar", "!!str 5"])
def test_any_yaml_tag_in_a_script_is_a_located_error(station_dir, tag):
    """Fuzzing found `!!float x` in the front matter raising ValueError from the YAML constructor."""
    path = write_script(station_dir / "scripts", "tin-a")
    text = path.read_text(encoding="utf-8").replace("title: Tin tin-a", f"title: {tag}", 1)
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "check", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("title:"))
    assert f"line {line}" in done.stderr and "tag" in done.stderr, done.stderr


def test_an_item_too_long_to_air_is_refused_before_any_speech(station_dir, tmp_path):
    """A 200 KB body (a pasted document): refused at once with the spoken length it would have,
    nothing voiced (the speech cache stays empty)."""
    body = "Kính thưa bà con nhân dân, Ủy ban nhân dân xã thông báo lịch tiếp công dân trong tuần.\n\n" * 2200
    path = write_script(station_dir / "scripts", "tin-dai", body=body)
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "render", str(path), "-o",
                           str(tmp_path / "out.wav")], capture_output=True, text=True, timeout=120, check=False)
    took = time.monotonic() - began
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "too long for one item" in done.stderr and "minutes" in done.stderr and "at most 60" in done.stderr
    assert re.search(r"about (\d+) minutes", done.stderr) and int(re.search(r"about (\d+) minutes",
                                                                             done.stderr).group(1)) > 100
    assert not (tmp_path / "out.wav").exists() and not list((station_dir / "cache").rglob("*.wav"))
    assert took < 30, took


def test_a_long_render_tells_its_progress(station_dir, tmp_path):
    """Each text voiced is told as it is done (the CLI shows a bar): a long bulletin is never silent."""
    from broadcast.service import render

    body = "\n\n".join(f"Đoạn thứ {n}: bà con nộp hồ sơ trực tuyến tại xã." for n in range(12))
    path = write_script(station_dir / "scripts", "tin-nhieu-doan", body=body)
    told = []
    render.render_bulletin(load_station(station_dir), [path], tmp_path / "out.wav",
                           progress=lambda done, total: told.append((done, total)))
    total = told[-1][1]
    assert total >= 12 and [d for d, _t in told] == list(range(1, total + 1)) and {t for _d, t in told} == {total}
    assert (tmp_path / "out.wav").stat().st_size > 0
