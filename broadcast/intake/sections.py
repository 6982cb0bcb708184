"""A document's body split by its own headings (I., 1., 1.1., a), Điều, Chương, Mục), its frame
left out: the national heading, number and date, the title, the recitals ("Căn cứ …",
"Thực hiện …") and the recipients and signatures at the end."""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadcast.intake.records import Line, Section
from broadcast.normalize.documents import block_start

# (pattern, level): the number, then the heading's words
HEADINGS = (
    (re.compile(r"^(?:PHẦN|Phần)\s+((?:THỨ|thứ)\s+\w+|[IVXLC\d]+)[.:]?\s*(.*)$"), 0),
    (re.compile(r"^(?:CHƯƠNG|Chương)\s+([IVXLC\d]+)[.:]?\s*(.*)$"), 0),
    (re.compile(r"^([IVXLC]{1,6})[.)]\s*(\S.*)$"), 0),
    (re.compile(r"^(?:MỤC|Mục)\s+(\d+)[.:]?\s*(.*)$"), 1),
    (re.compile(r"^(Điều\s+\d+)[.:]?\s*(.*)$"), 1),
    (re.compile(r"^(\d{1,2})[.)]\s*(\S.*)$"), 1),
    (re.compile(r"^(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\.?\s+(\S.*)$"), 2),
    (re.compile(r"^([a-zđ])\)\s*(\S.*)$"), 3),
)
MAX_HEADING = 2000                  # a numbered paragraph of any length may head what follows
KINDS = r"KẾ HOẠCH|THÔNG BÁO|QUYẾT ĐỊNH|CHỈ THỊ|CÔNG VĂN|HƯỚNG DẪN|BÁO CÁO|CHƯƠNG TRÌNH|NGHỊ QUYẾT|THÔNG CÁO|LỜI KÊU GỌI"
TITLE = re.compile(rf"^(?:{KINDS})\b")
FRAME = re.compile(r"^(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA|Độc lập\s*[-–]\s*Tự do|ĐẢNG CỘNG SẢN|"
                   r"(?:ỦY|UỶ) BAN NHÂN DÂN|UBND\b|HỘI ĐỒNG NHÂN DÂN|BAN CHỈ ĐẠO|Số\s*:|Số\s+\d|[-–_]{3,}|"
                   r"[\w\s.]{0,40},\s*ngày\s+(?:\d+|\.+|…|\s)*\s*tháng)", re.IGNORECASE)
RECITAL = re.compile(r"^(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Trên cơ sở)\b")
INTRO = re.compile(r"(?:như sau|cụ thể như sau|với (?:các )?nội dung (?:sau|như sau))\s*:?\s*$")
MARKUP = re.compile(r"^[#>\s]*|\*\*|__")


@dataclass(frozen=True)
class Outline:
    title: str                          # the document's own title, its lines joined
    sections: tuple[Section, ...]       # in document order; each with the content under its heading
    preamble: tuple[Line, ...]          # content before the first heading that is not frame


def clean(line: Line) -> Line:
    text = " ".join(MARKUP.sub("", line.text).split())
    return Line(text, line.page, line.cells, line.bold or line.text.lstrip("# ").startswith("**"))


def candidate(line: Line) -> tuple[str, str, int] | None:
    """(number, words, level) when LINE is numbered like a heading."""
    text = line.text
    if line.is_row or len(text) > MAX_HEADING:
        return None
    for pattern, level in HEADINGS:
        found = pattern.match(text)
        if found:
            return found.group(1), found.group(2).strip().rstrip(".:").strip("*").strip(), level
    return None


def headings(lines: list[Line]) -> dict[int, tuple[str, str, int]]:
    """The lines that are headings, by index: a part (I., Chương), a bold or capital line, or a
    numbered line with something under it (content, or deeper numbered lines) before the next
    line numbered at its level. Numbered lines that follow each other straight are a list."""
    found = {i: c for i, c in ((i, candidate(line)) for i, line in enumerate(lines)) if c}
    order = sorted(found)
    chosen = {}
    for k, i in enumerate(order):
        number, words, level = found[i]
        following = next((j for j in order[k + 1:] if found[j][2] <= level), len(lines))
        if level == 0 or lines[i].bold or words.isupper() or following > i + 1:
            chosen[i] = (number, words, level)
    return chosen


def outline(lines: list[Line]) -> Outline:
    lines = [c for c in (clean(line) for line in lines) if c.text]
    end = block_start([line.text for line in lines])
    lines = lines[:end]
    marks = headings(lines)
    first = min(marks, default=len(lines))
    title, preamble = _front(lines[:first])
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    current: dict | None = None
    for index in range(first, len(lines)):
        line, found = lines[index], marks.get(index)
        if found:
            if current:
                sections.append(Section(**current))
            number, words, level = found
            stack = [(lvl, h) for lvl, h in stack if lvl < level]
            current = {"number": number, "heading": words, "level": level, "lines": (),
                       "parents": tuple(h for _, h in stack)}
            stack.append((level, words))
        elif current is not None:
            current["lines"] += (line,)
    if current:
        sections.append(Section(**current))
    return Outline(title, tuple(sections), tuple(preamble))


def _front(lines: list[Line]) -> tuple[str, list[Line]]:
    """The title and what is left of the part before the first heading once the frame is out."""
    title: list[str] = []
    rest: list[Line] = []
    in_title = False
    for line in lines:
        text = line.text
        if TITLE.match(text) and not title:
            title.append(text)
            in_title = True
            continue
        if in_title and len(text) <= 120 and not RECITAL.match(text) and not text.endswith((".", ";", ":")):
            title.append(text)
            continue
        in_title = False
        if FRAME.match(text) or RECITAL.match(text) or INTRO.search(text) or (text.isupper() and len(text) < 80):
            continue
        rest.append(line)
    return " ".join(title), rest
