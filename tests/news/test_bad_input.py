"""Input that is not what it should be (issue 17.9): named by file and line, never quoted."""

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
