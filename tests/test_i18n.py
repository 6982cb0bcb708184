"""Every word the officer reads is in the catalog, translated to Vietnamese, and shown in
Vietnamese by default: help, messages, errors and hints; English on request."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from broadcast import i18n
from broadcast.cli import cli
from tests.conftest import REPO, write_schedule, write_script
from tools.messages import extract, read

LANGUAGE = "vi"                   # the default the officer gets (see conftest.language)

# words that give English away in a sentence (Vietnamese uses none of them)
ENGLISH = re.compile(r"\b(the|and|of|to|with|is|not|this|from|for|when|which|are|was|has|no|or|at|be|"
                     r"show|exit|error|hint|warning|found|missing|unknown|expected|wrote|line)\b")
# what may stay as written: option names, file names, identifiers and examples the officer types
LITERAL = re.compile(r"(?m)^\s+[\w-]+(?=\s{2,})|--?[\w-]+|[\w./-]*\.(yaml|md|wav|mp3|flac|onnx|json|db|docx)\b|'[^']*'|\[[^\]]*\]|"
                     r"\b[A-Z_]{2,}\b|\b\w+[:=][\w/.:-]*|https?://\S+|\S+@\S+|[\w-]+/[\w/.-]*|\([^()]*\b(?:e\.g|yaml)\b[^()]*\)")


def english_left(text: str) -> list[str]:
    """Lines of TEXT that still read as English once the literals are taken out."""
    return [line for line in text.splitlines()
            if not line.startswith("Cách dùng:") and ENGLISH.search(LITERAL.sub(" ", line))]



def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_a_vietnamese_translation():
    catalog = read("vi")
    untranslated, wrong_fields = [], []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = () if found is None else (found.string if isinstance(found.string, tuple) else (found.string,))
        if found is None or not all(strings) or found.fuzzy:
            untranslated.append(message.id)
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = set().union(*(fields(i) for i in ids)) if "python-brace-format" in found.flags else set()
        if any(fields(s) - allowed for s in strings if "python-brace-format" in found.flags):
            wrong_fields.append(message.id)
    assert not untranslated, f"run tools/messages.py update and translate: {untranslated[:10]}"
    assert not wrong_fields, f"a translation names a field the message does not have: {wrong_fields}"


def test_the_catalog_finds_messages_the_extractor_would_miss_being_left_out():
    """The extractor sees a message only in _() or N_(): a plain f-string in an error is a bug."""
    source = "\n".join(p.read_text("utf-8") for p in (REPO / "broadcast").rglob("*.py"))
    raised = re.findall(r"raise (?!ValueError|AttributeError|InputError)\w*Error\(f?\"([^\"]{8,})\"", source)
    worded = [text for text in raised if english_left(re.sub(r"\{[^}]*\}", " ", text))]
    assert worded == [], worded



def _commands(group: click.Group, path=()):
    yield path
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))
        else:
            yield path + (name,)


@pytest.mark.parametrize("path", list(_commands(cli)), ids=lambda p: " ".join(p) or "broadcast")
def test_every_help_is_in_vietnamese(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Cách dùng:" in result.output and "Tùy chọn" in result.output
    assert english_left(result.output) == []


def _broadcast(root, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "broadcast", "-S", str(root), *args], capture_output=True,
                          text=True, env=env, timeout=120)


BAD_INPUTS = {
    "a script with a colon in its title": ("scripts/tin-x.md", "---\nid: tin-x\ntitle: Thông báo: lịch tiêm\n---\nNội dung.\n",
                                           ["check"]),
    "a script without its fields": ("scripts/tin-y.md", "Chỉ có nội dung.\n", ["check"]),
    "an unknown setting": ("station.yaml", "speech:\n  rat: 150\n", ["check"]),
    "a schedule with an impossible time": ("schedules/tuan.yaml",
                                           "zones:\n  thon-1: {name: Thôn 1, output: pulse}\nslots:\n  - id: sang\n"
                                           "    days: hằng ngày\n    start: '25:00'\n    length: 15\n    zones: all\n"
                                           "    program: {items: [tin-a]}\n", ["schedule", "check"]),
    "a relay of a source station.yaml does not name": ("schedules/tuan.yaml",
                                                       "zones:\n  thon-1: {name: Thôn 1, output: pulse}\nslots:\n"
                                                       "  - {id: sang, days: hằng ngày, start: '05:30', length: 30m,"
                                                       " zones: all, program: {relay: vov9}}\n", ["schedule", "check"]),
    "a relay source without a stream address": ("station.yaml", "relays:\n  vov1: {name: VOV1, url: vov.vn}\n",
                                                ["check"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_explained_in_vietnamese_with_file_and_line(case, station_dir):
    relative, text, args = BAD_INPUTS[case]
    write_script(station_dir / "scripts", "tin-a")
    write_schedule(station_dir)
    (station_dir / relative).write_text(text, encoding="utf-8")
    done = _broadcast(station_dir, *args)
    assert done.returncode != 0
    assert "Lỗi: " in done.stderr and "Gợi ý: " in done.stderr, done.stderr
    assert relative.split("/")[-1] in done.stderr
    assert english_left(done.stderr) == [], done.stderr


def test_queue_errors_and_the_week_speak_vietnamese(planned_station):
    done = _broadcast(planned_station, "queue", "add", "khong-co")
    assert "Lỗi: không có tin 'khong-co'" in done.stderr and "Gợi ý: dùng một trong: tin-a" in done.stderr
    shown = _broadcast(planned_station, "schedule", "show", "--week", "2024-W12")
    assert shown.returncode == 0 and "Thứ Hai 18/03/2024" in shown.stdout and "tin bài:" in shown.stdout
    assert english_left(shown.stdout) == []


def test_english_on_request(station_dir):
    (station_dir / "scripts" / "tin-y.md").write_text("Chỉ có nội dung.\n", encoding="utf-8")
    by_flag = subprocess.run([sys.executable, "-m", "broadcast", "--lang", "en", "-S", str(station_dir), "check"],
                             capture_output=True, text=True)
    assert "Error: " in by_flag.stderr and "no front matter" in by_flag.stderr and "hint: " in by_flag.stderr
    by_env = _broadcast(station_dir, "check", env={**os.environ, "BROADCAST_LANG": "en"})
    assert "no front matter" in by_env.stderr
    station = station_dir / "station.yaml"
    station.write_text(station.read_text("utf-8") + "\nlanguage: en\n", encoding="utf-8")
    without_env = {k: v for k, v in os.environ.items() if k != "BROADCAST_LANG"}
    by_station = _broadcast(station_dir, "check", env=without_env)
    assert "no front matter" in by_station.stderr and "Lỗi" not in by_station.stderr
    assert "Usage:" in _broadcast(station_dir, "--lang", "en", "--help").stdout


def test_a_wrong_language_setting_is_a_located_error(station_dir):
    station = station_dir / "station.yaml"
    station.write_text(station.read_text("utf-8") + "\nlanguage: fr\n", encoding="utf-8")
    without_env = {k: v for k, v in os.environ.items() if k != "BROADCAST_LANG"}
    done = _broadcast(station_dir, "check", env=without_env)
    assert "không có ngôn ngữ 'fr'" in done.stderr and "station.yaml, dòng" in done.stderr


def test_a_stale_catalog_is_compiled_at_first_use(tmp_path, monkeypatch):
    """No .mo in a fresh clone: the first use compiles it from the .po (Babel)."""
    locale = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "broadcast.po").write_bytes(i18n.po_path("vi").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.catalog.cache_clear()
    try:
        assert i18n.catalog("vi").gettext("Monday") == "Thứ Hai"
        assert (locale / "broadcast.mo").exists()
    finally:
        i18n.catalog.cache_clear()


@pytest.mark.parametrize("lang, words", [("vi", ("Chưa có người dùng nào", 'lang="vi"')),
                                         ("en", ("No users yet", 'lang="en"'))])
def test_console_pages_come_from_the_catalog(lang, words, station_dir):
    from starlette.testclient import TestClient

    from broadcast import service
    from broadcast.web.app import create_app

    i18n.use_language(lang)
    try:
        with TestClient(create_app(service.station.open_station(station_dir))) as client:
            page = client.get("/dang-nhap").text
    finally:
        i18n.use_language(LANGUAGE)
    assert all(w in page for w in words), page


def test_no_message_hides_inside_an_f_string():
    """Babel's extractor does not look inside f-string expressions: f"{_('x')}" never reaches the catalog."""
    hidden = [(p.name, m) for p in (REPO / "broadcast").rglob("*.py")
              for m in re.findall(r"\{(?:_|N_|ngettext)\(['\"][^'\"]*", p.read_text("utf-8"))]
    assert hidden == []
