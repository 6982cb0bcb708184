"""Sections by the document's own headings, the frame left out, each section a proposal in
spoken prose with a guessed topic; marked lines from a scan that lost its diacritics."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from broadcast.intake.propose import proposals, prose, sentence_case
from broadcast.intake.records import Document, Line
from broadcast.intake.sections import outline
from broadcast.station.topics import DEFAULT_TOPICS
from tests.intake.documents import READABLE, headings, plan_lines


def _document(name: str) -> Document:
    return Document(f"{name}.docx", "docx", 1, tuple(Line(t, 1, bold=b) for t, b in plan_lines(name)))


HEADINGS = yaml.safe_load((Path(__file__).parent / "data" / "headings.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", READABLE)
def test_the_sections_found_are_the_plans_headings(name):
    found = outline(list(_document(name).lines))
    assert [f"{s.number}{'.' if s.level < 3 else ')'} {s.heading}" for s in found.sections] == HEADINGS[name]
    assert set(HEADINGS[name]) >= {h.rstrip(".") for h in headings(name)}        # every marked heading of the plan


@pytest.mark.parametrize("name", READABLE)
def test_the_frame_is_never_proposed(name):
    """The heading, number, date, title and recitals before the first section, and the
    recipients and signatures after the last, are in no proposal."""
    lines = [t for t, _ in plan_lines(name)]
    first = next(i for i, t in enumerate(lines) if t.startswith(HEADINGS[name][0].split(" ")[0]))
    end = next((i for i, t in enumerate(lines) if re.match(r"(Nơi nhận|TM\.|KT\.)", t)), len(lines))
    frame = lines[:first] + lines[end:end + 8]       # an appendix may follow the signatures
    assert len(frame) >= 3
    spoken = [p for proposal in proposals(_document(name), DEFAULT_TOPICS) for p in (proposal.title, *proposal.paragraphs)]
    for line in (f for f in frame if len(f.split()) >= 4):      # "2024." alone is in every year's news
        assert not any(line.rstrip(".;:") in said for said in spoken), line


def test_a_proposal_reads_as_prose_with_its_title_topic_and_pages():
    found = proposals(_document("2024-xa-minh-duc"), DEFAULT_TOPICS)
    first = found[0]
    assert first.title == "Mục đích, yêu cầu"
    assert first.paragraphs[0].startswith("Đẩy mạnh công tác cải cách hành chính")      # the bullet "- " is gone
    assert all(p.endswith((".", ":", "!", "?")) for p in first.paragraphs)
    assert first.pages == (1,) and first.source == "2024-xa-minh-duc.docx"
    money = next(p for p in found if "Tài chính" in p.title)
    assert money.topic == "tai-chinh-cong" and money.confidence > 0.3


def test_a_table_becomes_one_sentence_a_row_named_by_its_header():
    rows = [Line("", 2, ("Thời gian", "Nội dung")), Line("", 2, ("Thứ Hai", "Tiếp công dân")),
            Line("", 2, ("Thứ Sáu", ""))]
    said, notes = prose(rows)
    assert said == ["Thời gian: Thứ Hai; Nội dung: Tiếp công dân.", "Thời gian: Thứ Sáu."]
    assert notes == []


def test_a_wide_table_is_flagged_with_its_page():
    rows = [Line("", 3, tuple(f"Cột {n}" for n in range(8))), Line("", 3, tuple(str(n) for n in range(8)))]
    said, notes = prose(rows)
    assert len(said) == 1 and len(notes) == 1 and "3" in notes[0] and "8" in notes[0]


def test_the_ocr_plan_marks_every_paragraph_that_lost_its_diacritics():
    found = proposals(_document("2023-xa-binh-luong-ocr"), DEFAULT_TOPICS)
    assert found and all(p.marked for p in found)
    assert sum(len(p.marked) for p in found) >= 0.9 * sum(len(p.paragraphs) for p in found)
    clean = proposals(_document("2024-xa-minh-duc"), DEFAULT_TOPICS)
    assert not any(p.marked for p in clean)


def test_a_notice_without_headings_is_one_proposal_titled_by_the_document():
    lines = [Line(t, 1) for t in ("ỦY BAN NHÂN DÂN XÃ MINH ĐỨC", "Số: 12/TB-UBND", "THÔNG BÁO",
                                  "Về việc tiêm vắc xin phòng bệnh sởi",
                                  "Ủy ban nhân dân xã thông báo đến toàn thể Nhân dân: từ ngày 10/3 đến ngày 15/3/2026, "
                                  "Trạm Y tế xã tổ chức tiêm vắc xin phòng bệnh sởi cho trẻ em từ 1 đến 5 tuổi.",
                                  "Đề nghị các gia đình đưa trẻ đến đúng lịch.", "Nơi nhận:", "- Như trên;")]
    found = proposals(Document("tb.docx", "docx", 1, tuple(lines)), DEFAULT_TOPICS)
    assert [p.title for p in found] == ["THÔNG BÁO Về việc tiêm vắc xin phòng bệnh sởi"]
    assert found[0].paragraphs[-1] == "Đề nghị các gia đình đưa trẻ đến đúng lịch."


def test_headings_in_capitals_are_said_in_sentence_case():
    assert sentence_case("MỤC ĐÍCH, YÊU CẦU") == "Mục đích, yêu cầu"
    assert sentence_case("Phòng Nội vụ") == "Phòng Nội vụ"
