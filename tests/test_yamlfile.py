"""Files the officer (or anyone) writes cannot exhaust the station PC: aliases, deep nesting, huge
files and keys written twice are refused with the file and line, before any data is built."""

from __future__ import annotations

import subprocess
import sys

import pytest

from broadcast import yamlfile
from broadcast.errors import InputError

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def test_a_billion_laughs_is_refused_before_it_grows(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text(BOMB, "utf-8")
    assert len(BOMB) < 700
    with pytest.raises(InputError, match="aliases") as found:
        yamlfile.load(path)
    assert found.value.path == path and found.value.line


def test_the_daemon_process_stays_small_on_a_bomb_in_station_yaml(tmp_path):
    (tmp_path / "station.yaml").write_text("name: x\nlexicon: lexicon.yaml\n", "utf-8")
    (tmp_path / "lexicon.yaml").write_text(BOMB, "utf-8")
    limit = 400 * 1024 * 1024                          # bytes of address space: far below the bomb's size
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, ({0}, {0})); "
            "from broadcast.cli import main; main(['-S', {1!r}, 'normalize', 'VHTT'])").format(limit, str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "aliases" in done.stderr and "MemoryError" not in done.stderr


@pytest.mark.parametrize("text, problem", [
    ("a: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than"),
    ("name: A\nname: B\n", "written twice"),
    ("? [a, b]\n: c\n", "plain name"),
])
def test_deep_nesting_duplicate_and_odd_keys(tmp_path, text, problem):
    path = tmp_path / "x.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match=problem):
        yamlfile.load(path)


def test_a_file_too_large_to_be_a_setting_is_not_read(tmp_path):
    path = tmp_path / "station.yaml"
    path.write_bytes(b"# " + b"x" * (yamlfile.MAX_BYTES + 10) + b"\n")
    with pytest.raises(InputError, match="too large"):
        yamlfile.load(path)
