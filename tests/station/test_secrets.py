"""The keys file: mode 600 from its first byte, refused (with the chmod to run, in Vietnamese)
when others may read it; a page shows at most the last four characters."""

import os
import stat

import pytest

from broadcast import i18n
from broadcast.errors import InputError
from broadcast.station.secrets import read_key, read_keys, secrets_path, shown, write_key


def test_a_key_is_written_mode_600_and_read_back(tmp_path):
    write_key(tmp_path, "fpt", "  khoa-fpt-0123456789abcd \n")
    write_key(tmp_path, "google", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn")
    path = secrets_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_keys(tmp_path) == {"fpt": "khoa-fpt-0123456789abcd", "google": "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn"}
    write_key(tmp_path, "fpt", "")
    assert read_key(tmp_path, "fpt") is None and read_key(tmp_path, "google")
    assert not list(tmp_path.glob(".secrets.yaml.*"))          # no temporary file left behind


def test_a_file_others_can_read_is_refused_with_the_chmod_to_run(tmp_path):
    write_key(tmp_path, "viettel", "token-viettel-abcdef123456")
    path = secrets_path(tmp_path)
    os.chmod(path, 0o644)
    i18n.use_language("vi")
    try:
        with pytest.raises(InputError) as caught:
            read_keys(tmp_path)
    finally:
        i18n.use_language("en")
    said = str(caught.value)
    assert f"chmod 600 {path}" in said and "người dùng khác đọc được tệp khóa" in said
    assert "token-viettel" not in said


def test_only_key_engines_and_one_word_keys(tmp_path):
    with pytest.raises(InputError):
        write_key(tmp_path, "espeak", "abc")
    with pytest.raises(InputError) as caught:
        write_key(tmp_path, "fpt", "hai tu")
    assert "hai tu" not in str(caught.value)


def test_a_page_shows_at_most_the_last_four_characters():
    assert shown("khoa-fpt-0123456789abcd") == "…abcd"
    assert shown("ngan") == "…" and shown(None) == ""
