import datetime as dt

import pytest

from broadcast.cli import main
from broadcast.errors import ScriptErrors
from broadcast.news.scripts import check_scripts, parse_script
from tests.conftest import REPO, write_script


def problems(tmp_path):
    return check_scripts([tmp_path]).problems


def test_sample_scripts_are_valid():
    result = check_scripts([REPO / "scripts"])
    assert result.problems == []
    assert len(result.items) >= 8
    assert len({i.topic for i in result.items}) >= 6


def test_parses_fields_and_paragraphs(tmp_path):
    path = write_script(tmp_path, "a", body="Đoạn một.\n\nĐoạn hai\nvẫn đoạn hai.", priority="priority", approved=None)
    item = parse_script(path)
    assert item.paragraphs == ("Đoạn một.", "Đoạn hai vẫn đoạn hai.")
    assert item.valid_from == dt.date(2024, 1, 1) and item.priority == "priority"
    assert item.body_line == 9


def test_unknown_topic_names_line_and_known_topics(tmp_path):
    write_script(tmp_path, "a", topic="cchc")
    [p] = problems(tmp_path)
    assert (p.line, p.field) == (4, "topic")
    assert "'cchc' is unknown" in str(p) and "thu-tuc-hanh-chinh" in str(p)


def test_missing_field(tmp_path):
    write_script(tmp_path, "a", title=None)
    [p] = problems(tmp_path)
    assert p.field == "title" and "missing" in p.problem


@pytest.mark.parametrize("value", ["2024-13-01", "mai", "31/02/2024"])
def test_bad_date(tmp_path, value):
    write_script(tmp_path, "a", valid_from=value)
    [p] = problems(tmp_path)
    assert (p.field, p.line) == ("valid_from", 5)


def test_inverted_dates(tmp_path):
    write_script(tmp_path, "a", valid_from="2024-06-01", valid_until="2024-05-01")
    [p] = problems(tmp_path)
    assert p.field == "valid_until" and "before" in p.problem


def test_empty_body(tmp_path):
    write_script(tmp_path, "a", body="   ")
    [p] = problems(tmp_path)
    assert p.field == "body" and p.line == 8


def test_not_utf8_names_the_line(tmp_path):
    path = write_script(tmp_path, "a", body="Dòng một.\nDòng hai.", approved=None)
    path.write_bytes(path.read_bytes().replace("Dòng hai".encode(), "Dòng hai".encode("cp1252")))
    [p] = problems(tmp_path)
    assert p.line == 9 and "UTF-8" in p.problem


def test_duplicate_ids(tmp_path):
    write_script(tmp_path, "a")
    (tmp_path / "b.md").write_text((tmp_path / "a.md").read_text("utf-8"), encoding="utf-8")
    [p] = problems(tmp_path)
    assert p.field == "id" and "duplicate" in p.problem


def test_bad_yaml_names_line(tmp_path):
    (tmp_path / "x.md").write_text("---\nid: x\ntitle: [oops\n---\nbody\n", encoding="utf-8")
    [p] = problems(tmp_path)
    assert p.line is not None and "YAML" in p.problem


def test_all_problems_of_one_file_are_reported(tmp_path):
    write_script(tmp_path, "a", topic="nope", priority="urgent", body="")
    with pytest.raises(ScriptErrors) as info:
        parse_script(tmp_path / "a.md")
    assert {p.field for p in info.value.problems} == {"topic", "priority", "body"}


def test_check_command_exit_codes(tmp_path, capsys):
    write_script(tmp_path, "good")
    with pytest.raises(SystemExit) as ok:
        main(["check", str(tmp_path)])
    assert ok.value.code == 0
    write_script(tmp_path, "bad", topic="cchc")
    with pytest.raises(SystemExit) as bad:
        main(["check", str(tmp_path)])
    assert bad.value.code == 1
    err = capsys.readouterr().err
    assert "bad.md, line 4: topic: 'cchc' is unknown" in err


def test_check_warns_on_lost_diacritics(tmp_path, capsys):
    write_script(tmp_path, "ocr", body="Kính thưa bà con.\nTuyén truyén cii cich hanh chinh nim 2023 tai xa Minh Duc",
                 approved=None)
    with pytest.raises(SystemExit):
        main(["check", str(tmp_path)])
    err = capsys.readouterr().err
    assert "ocr.md, line 9" in err and "diacritics" in err
    assert "line 8:" not in err


def test_valid_until_may_be_left_out_for_an_open_ended_item(tmp_path):
    import datetime as dt

    item = parse_script(write_script(tmp_path, "mo", valid_until=None))
    assert item.valid_until == dt.date.max and item.valid_on(dt.date(2099, 1, 1))


def test_check_warns_about_items_expired_or_expiring_within_30_days(tmp_path):
    import datetime as dt

    from broadcast import service
    from broadcast.station.settings import Station

    write_script(tmp_path, "cu", valid_until="2024-03-01")
    write_script(tmp_path, "sap-het", valid_until="2024-03-30")
    write_script(tmp_path, "con-lau", valid_until="2024-12-31")
    result = service.scripts.lint_scripts(Station(root=tmp_path), [tmp_path], dt.date(2024, 3, 18))
    found = {w.path.stem: w.problem for w in result.warnings}
    assert found == {"cu": "expired on 01/03/2024: it no longer airs",
                     "sap-het": "expires on 30/03/2024, in 12 days"}


def test_an_item_may_air_a_recording_and_a_new_recording_needs_a_new_approval(tmp_path):
    from broadcast.errors import ScriptErrors
    from broadcast.news.scripts import parse_script

    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (tmp_path / "audio").mkdir()
    recording = tmp_path / "audio" / "thong-bao.wav"
    recording.write_bytes(b"RIFF" + b"\0" * 100)
    path = write_script(scripts, "ghi-am", body="", audio="audio/thong-bao.wav", approved=None)
    item = parse_script(path)
    assert item.audio == "audio/thong-bao.wav" and item.paragraphs == () and item.audio_path == recording
    before = item.approval_hash
    recording.write_bytes(b"RIFF" + b"\1" * 200)                     # another recording under the same name
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")          # (a new parse)
    assert parse_script(path).approval_hash != before
    missing = write_script(scripts, "mat", body="", audio="audio/khong-co.wav", approved=None)
    with pytest.raises(ScriptErrors) as found:
        parse_script(missing)
    assert any(p.field == "audio" and "khong-co.wav" in p.problem for p in found.value.problems)


@pytest.mark.parametrize("line", ["title: [a, b]", "title: true", "title: 5", "topic: {}", "voice: [vi]"])
def test_a_field_read_aloud_or_used_as_a_name_must_be_text(tmp_path, line):
    from broadcast.errors import ScriptErrors
    from broadcast.news.scripts import parse_script

    key = line.split(":")[0]
    fields = {"title": "Tin", "topic": "khac", key: line.split(": ", 1)[1]}
    path = write_script(tmp_path, "x", approved=None, **fields)
    with pytest.raises(ScriptErrors) as found:
        parse_script(path)
    [problem] = found.value.problems
    assert problem.field == key and "expected text" in problem.problem and "quotes" in problem.hint
