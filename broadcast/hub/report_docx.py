"""Báo cáo tỉnh laid out: DOCX in the form of Nghị định 30/2020/NĐ-CP (A4, Times New Roman,
margins 20/20/30/15 mm, issuing body and national heading, number and date, "Nơi nhận", signer),
and CSV. Both read one ProvinceReport, so they always agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from broadcast.files import atomic_path
from broadcast.hub.province_report import ProvinceReport
from broadcast.present import hms, number, percent
from broadcast.records import sheet

PRIORITY_VI = {"normal": "Thông thường", "priority": "Ưu tiên", "emergency": "Khẩn cấp"}


@dataclass(frozen=True)
class Heading:
    """Who issues the report: the hub's settings."""

    parent: str = "UBND TỈNH"
    organisation: str = "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    number: str = "    /BC-SVHTTDL"
    place: str = "……"
    signer_title: str = "GIÁM ĐỐC"
    signer: str = ""
    recipients: tuple[str, ...] = ("UBND tỉnh (để báo cáo)", "Lưu: VT")


def title(report: ProvinceReport) -> str:
    return f"Kết quả hoạt động của các đài truyền thanh cấp xã {report.period.label}"


def _vi_date(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def write_docx(report: ProvinceReport, heading: Heading, today: dt.date, out: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(3)
    center = WD_ALIGN_PARAGRAPH.CENTER

    def para(text: str = "", *, bold=False, italic=False, size=None, align=None, parent=None):
        p = (parent or doc).add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    def two_cells(widths=(62, 103)):
        t = doc.add_table(rows=1, cols=2)
        t.autofit = False
        cells = t.rows[0].cells
        for column, cell, width in zip(t.columns, cells, widths):
            column.width = cell.width = Mm(width)
        return cells

    def drop_empty_first(*cells):
        for cell in cells:
            if not cell.paragraphs[0].text:
                cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)

    def table(header: list[str], body: list[list], widths: tuple[int, ...]):
        t = doc.add_table(rows=1 + len(body), cols=len(header))
        t.style, t.alignment, t.autofit = "Table Grid", WD_TABLE_ALIGNMENT.CENTER, False
        for n, width in enumerate(widths):
            t.columns[n].width = Mm(width)
        for r, values in enumerate([header, *body]):
            for cell, value, width in zip(t.rows[r].cells, values, widths):
                cell.width = Mm(width)
                run = cell.paragraphs[0].add_run(str(value))
                run.bold, run.font.size = r == 0, Pt(12)
        return t

    left, right = two_cells()
    para(heading.parent, size=13, align=center, parent=left)
    para(heading.organisation, bold=True, size=13, align=center, parent=left)
    para("―――――", size=10, align=center, parent=left)
    para(f"Số: {heading.number}", size=13, align=center, parent=left)
    para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, align=center, parent=right)
    para("Độc lập - Tự do - Hạnh phúc", bold=True, size=14, align=center, parent=right)
    para("―――――――――――", size=10, align=center, parent=right)
    para(f"{heading.place}, {_vi_date(today)}", italic=True, size=14, align=center, parent=right)
    drop_empty_first(left, right)

    period = report.period
    para("BÁO CÁO", bold=True, align=center).paragraph_format.space_before = Pt(12)
    para(title(report), bold=True, align=center)
    para("―――――", size=10, align=center)
    para(f"{heading.organisation.capitalize()} báo cáo kết quả hoạt động của các đài truyền thanh cấp xã "
         f"{period.label} (từ ngày {period.start:%d/%m/%Y} đến ngày "
         f"{period.end - dt.timedelta(days=1):%d/%m/%Y}), tổng hợp từ nhật ký phát sóng các xã, phường gửi về "
         "hệ thống thông tin nguồn của tỉnh, như sau:")
    para("I. TỔNG HỢP", bold=True)
    reported = len(report.communes)
    para(f"Có {number(reported)} xã, phường gửi nhật ký phát sóng; {number(len(report.silent))} xã, phường "
         f"không gửi. Tổng số buổi đã phát: {number(report.aired)} trên {number(report.scheduled)} buổi theo lịch; "
         f"tổng thời lượng phát: {hms(report.seconds)}; số lượt tin, bài: {number(report.item_airings)}.")
    para("II. THEO XÃ, PHƯỜNG", bold=True)
    table(["Xã, phường", "Buổi theo lịch", "Đã phát", "Tỷ lệ", "Bỏ lỡ, lỗi", "Âm thanh dự phòng", "Thời lượng"],
          [[c.name, number(c.scheduled), number(c.aired), percent(c.completion) if c.scheduled else "–",
            number(c.missed), number(c.standby), hms(c.seconds)] for c in report.communes],
          (45, 20, 18, 20, 18, 22, 22))
    para("III. THEO CHỦ ĐỀ", bold=True)
    table(["Chủ đề", "Số lượt", "Số xã, phường", "Thời lượng đọc"],
          [[t.label, number(t.airings), number(t.communes), hms(t.seconds)] for t in report.topics], (85, 25, 25, 30))
    para("Số lượt và thời lượng theo từng xã, phường và chủ đề: xem tệp CSV kèm theo (phần “Xã, phường – chủ đề”).",
         italic=True, size=12)
    para("IV. TIN CỦA TỈNH", bold=True)
    if report.bulletins:
        table(["Tin", "Mức", "Số xã nhận", "Đã phát", "Chưa phát"],
              [[b.title, PRIORITY_VI.get(b.priority, b.priority), number(b.addressed), number(b.aired),
                number(b.not_aired)] for b in report.bulletins], (70, 25, 22, 22, 26))
    else:
        para("Trong kỳ, tỉnh không gửi tin nào xuống các xã, phường.")
    para("V. XÃ, PHƯỜNG KHÔNG GỬI NHẬT KÝ TRONG KỲ", bold=True)
    if report.silent:
        table(["Xã, phường", "Liên lạc lần cuối"],
              [[s.name, s.last_seen.strftime("%H:%M %d/%m/%Y") if s.last_seen else "chưa liên lạc"]
               for s in report.silent], (100, 65))
    else:
        para("Tất cả các xã, phường đều gửi nhật ký phát sóng trong kỳ.")

    left, right = two_cells((80, 85))
    para("Nơi nhận:", bold=True, italic=True, size=12, parent=left)
    for n, who in enumerate(heading.recipients):
        para(f"- {who}{'.' if n == len(heading.recipients) - 1 else ';'}", size=11, parent=left)
    para(heading.signer_title, bold=True, size=13, align=center, parent=right)
    para("", parent=right)
    para("", parent=right)
    para(heading.signer, bold=True, size=14, align=center, parent=right)
    drop_empty_first(left, right)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))


CSV_COLUMNS = ("Phần", "Mã", "Tên", "Buổi theo lịch", "Đã phát", "Bỏ lỡ, lỗi", "Âm thanh dự phòng",
               "Thời lượng (giây)", "Số lượt tin, bài", "Số xã, phường")


def to_csv(report: ProvinceReport) -> str:
    """One table for a spreadsheet (UTF-8 with BOM): a row per commune, topic, bulletin and silent
    commune; seconds as plain numbers so they add up."""
    rows = [["Xã, phường", c.station, c.name, c.scheduled, c.aired, c.missed, c.standby, round(c.seconds, 1),
             c.item_airings, ""] for c in report.communes]
    rows += [["Chủ đề", t.code, t.label, "", "", "", "", round(t.seconds, 1), t.airings, t.communes]
             for t in report.topics]
    names = {c.station: c.name for c in report.communes}
    labels = {t.code: t.label for t in report.topics}
    rows += [["Xã, phường – chủ đề", f"{x.station}/{x.topic}", f"{names.get(x.station, x.station)} – "
              f"{labels.get(x.topic, x.topic)}", "", "", "", "", round(x.seconds, 1), x.airings, ""]
             for x in report.by_commune_topic]
    rows += [["Tin của tỉnh", b.id, b.title, "", b.aired, b.not_aired, "", "", "", b.addressed]
             for b in report.bulletins]
    rows += [["Không gửi nhật ký", s.station, s.name, "", "", "", "", "", "", ""] for s in report.silent]
    return sheet.table(CSV_COLUMNS, rows)
