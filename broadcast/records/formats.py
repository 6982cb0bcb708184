"""The report laid out: terminal table, CSV, HTML, and DOCX in the form of Nghị định
30/2020/NĐ-CP (A4, Times New Roman 13-14 pt, margins 20/20/30/15 mm, issuing body and
national heading, number and date, "Nơi nhận", signer). All read one Report."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from pathlib import Path

from broadcast.files import atomic_path
from broadcast.i18n import _
from broadcast.present import hms, in_words, number, percent, summary_lines, voice_vi
from broadcast.records import sheet
from broadcast.records.report import VIETNAMESE, Report
from broadcast.station.settings import Station

FORMATS = ("table", "csv", "sheet", "html", "docx")
STATUS_VI = {"completed": "phát trọn vẹn", "interrupted": "bị ngắt", "failed": "lỗi phát",
             "missed": "bỏ lỡ", "fallback": "phát âm thanh dự phòng"}
def title(station: Station, report: Report) -> str:
    return f"Kết quả thông tin, tuyên truyền cải cách hành chính {report.period.label}"


# ---------------------------------------------------------------- table
def to_table(station: Station, report: Report) -> str:
    out = [f"{station.name}: BÁO CÁO {title(station, report)}"
           + (f" (cụm loa {report.zone_name(report.zone)})" if report.zone else ""), ""]
    if report.empty:
        out.append("Trong kỳ báo cáo không có buổi phát nào được ghi nhận (nothing aired in this period).")
        return "\n".join(out)
    out += [f"  {k:34} {v}" for k, v in summary_lines(report)]
    out += ["", "Theo chủ đề (thời lượng đọc tin):", f"  {'chủ đề':52} {'lượt':>5} {'bài':>4} {'thời lượng':>10}"]
    out += [f"  {t.label[:52]:52} {t.airings:>5} {t.distinct:>4} {hms(t.seconds):>10}" for t in report.topics if t.airings]
    out += ["", "Theo tin, bài (thời lượng đọc tin):"]
    out += [f"  {i.title[:52]:52} {i.airings:>5} lượt {len(i.zones):>3} cụm {hms(i.seconds):>10}" for i in report.items]
    if report.relays:
        out += ["", f"Tiếp sóng (bên cạnh {hms(report.own_seconds)} tin, bài của xã):"]
        out += [f"  {r.source[:40]:40} {r.airings:>5} lượt {hms(r.relayed):>10} / {hms(r.planned)}"
                f"{f'  ({r.gaps} đoạn hụt)' if r.gaps else ''}" for r in report.relays]
    out += ["", "Theo cụm loa (thời lượng chương trình):"]
    out += [f"  {report.zone_name(z.zone):28} {z.broadcasts:>5} buổi {hms(z.seconds):>10}" for z in report.zones]
    out += ["", "Theo giọng đọc:"] + [f"  {voice_vi(v.voice):28} {v.broadcasts:>5} buổi"
                                        + (f" ({v.fallback} buổi giọng dự phòng)" if v.fallback else "")
                                        for v in report.voices]
    out += ["", "Theo ngôn ngữ (lượt tin, bài):"] + [f"  {lang:28} {n:>5} lượt" for lang, n in report.languages]
    out += ["", "Kết quả các lần phát:"] + [f"  {STATUS_VI.get(s, s):24} {n}" for s, n in sorted(report.statuses.items())]
    out += [f"  - {STATUS_VI.get(s, s)} ({n}): {reason}" for s, reason, n in report.reasons]
    out += ["", f"Danh sách tin, bài đã phát ({len(report.lines)}):"]
    out += [f"  {line.start:%d/%m/%Y %H:%M} {hms(line.seconds):>8} {line.script:28} "
            f"{', '.join(report.zone_name(z) for z in line.zones)}" for line in report.lines]
    return "\n".join(out)


# ---------------------------------------------------------------- CSV
CSV_COLUMNS = ("section", "name", "label", "count", "seconds", "date", "time", "zone", "topic", "title")


def to_csv(station: Station, report: Report) -> str:
    """For machines: one table, a row per figure, codes kept: section says what the row is (tong-hop,
    chu-de, cum-loa, trang-thai, ly-do, tin-bai, tuan, tiep-song, giong-doc, ngon-ngu). Every cell safe for a spreadsheet."""
    rows = [
        ["tong-hop", "broadcasts", "Số buổi phát", report.broadcasts, round(report.airtime, 3)],
        ["tong-hop", "items", "Số lượt tin, bài", report.item_airings, ""],
        ["tong-hop", "distinct_items", "Số tin, bài khác nhau", report.distinct_items, ""],
        ["tong-hop", "scheduled", "Số buổi theo lịch", report.scheduled, ""],
        ["tong-hop", "aired_scheduled", "Số buổi theo lịch đã phát", report.aired_scheduled, ""],
        ["tong-hop", "emergencies", "Phát khẩn cấp", report.emergencies, ""],
    ]
    rows += [["chu-de", t.code, t.label, t.airings, round(t.seconds, 3)] for t in report.topics]
    rows += [["tiep-song", r.source, f"{r.gaps} đoạn hụt", r.airings, round(r.relayed, 3), "", "", "", "",
              f"kế hoạch {round(r.planned)} giây"] for r in report.relays]
    rows += [["cum-loa", z.zone, report.zone_name(z.zone), z.broadcasts, round(z.seconds, 3)] for z in report.zones]
    for v in report.voices:
        rows += [["giong-doc", v.voice, voice_vi(v.voice), v.broadcasts, ""],
                 ["giong-du-phong", v.voice, "Giọng dự phòng (giọng ưu tiên bị lỗi)", v.fallback, ""]]
    rows += [["ngon-ngu", language, language, n, ""] for language, n in report.languages]
    rows += [["trang-thai", s, STATUS_VI.get(s, s), n, ""] for s, n in sorted(report.statuses.items())]
    rows += [["ly-do", status, reason, n, ""] for status, reason, n in report.reasons]
    rows += [["tin-bai", line.script, line.title, len(line.zones), round(line.seconds, 3), f"{line.start:%Y-%m-%d}",
              f"{line.start:%H:%M:%S}", " ".join(line.zones), line.topic, line.title] for line in report.lines]
    rows += [["tuan", topic, "", "", round(seconds, 3), week.isoformat()]
             for week, by_topic in report.weeks for topic, seconds in sorted(by_topic.items())]
    return sheet.table(CSV_COLUMNS, rows, bom=False)


SHEET_COLUMNS = ("Phần", "Nội dung", "Số lượt", "Thời lượng", "Ngày", "Giờ", "Cụm loa", "Chủ đề")


def to_sheet(station: Station, report: Report) -> str:
    """For the officer's spreadsheet (Excel opens it as it is): Vietnamese headings and words, names
    not codes, dd/mm/yyyy, durations h:mm:ss; UTF-8 with BOM."""
    topics = {t.code: t.label for t in report.topics}
    rows = [["Tổng hợp", label, value, "", "", "", "", ""] for label, value in summary_lines(report)]
    rows += [["Theo chủ đề", t.label, t.airings, hms(t.seconds), "", "", "", ""] for t in report.topics if t.airings]
    rows += [["Theo cụm loa", report.zone_name(z.zone), z.broadcasts, hms(z.seconds), "", "", report.zone_name(z.zone),
              ""] for z in report.zones]
    rows += [["Tiếp sóng", r.source, r.airings, hms(r.relayed), "", "", "", ""] for r in report.relays]
    rows += [["Theo giọng đọc", voice_vi(v.voice), v.broadcasts, "", "", "", "", ""] for v in report.voices]
    rows += [["Theo ngôn ngữ", language, n, "", "", "", "", ""] for language, n in report.languages
             if language != VIETNAMESE]
    rows += [["Kết quả", STATUS_VI.get(s, s), n, "", "", "", "", ""] for s, n in sorted(report.statuses.items())]
    rows += [["Lý do", f"{STATUS_VI.get(s, s)}: {reason}", n, "", "", "", "", ""] for s, reason, n in report.reasons]
    rows += [["Tin, bài đã phát", line.title, len(line.zones), hms(line.seconds), f"{line.start:%d/%m/%Y}",
              f"{line.start:%H:%M}", ", ".join(report.zone_name(z) for z in line.zones),
              topics.get(line.topic, line.topic)] for line in report.lines]
    rows += [["Theo tuần", f"Tuần từ {week:%d/%m/%Y}", "", hms(seconds), f"{week:%d/%m/%Y}", "", "", topics.get(t, t)]
             for week, by_topic in report.weeks for t, seconds in sorted(by_topic.items())]
    return sheet.table(SHEET_COLUMNS, rows)


def chart_png(station: Station, report: Report) -> bytes | None:
    """Stacked bars: minutes aired per week, by topic."""
    if not report.weeks:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = {t.code: t.label for t in station.topics}
    topics = [t.code for t in report.topics if t.airings]
    weeks = [w for w, _ in report.weeks]
    fig, ax = plt.subplots(figsize=(7.0, 3.2), dpi=120)
    fig.subplots_adjust(left=0.08, right=0.62, bottom=0.14, top=0.9)
    from matplotlib.collections import PolyCollection

    bottom = [0.0] * len(weeks)
    for n, topic in enumerate(topics):   # one collection per topic: ax.bar is slow for a year of weeks
        values = [by.get(topic, 0.0) / 60 for _, by in report.weeks]
        boxes = [[(x - 0.4, b), (x - 0.4, b + v), (x + 0.4, b + v), (x + 0.4, b)]
                 for x, (b, v) in enumerate(zip(bottom, values)) if v > 0]
        ax.add_collection(PolyCollection(boxes, facecolors=f"C{n % 10}", label=labels.get(topic, topic)))
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xlim(-0.6, len(weeks) - 0.4)
    ax.set_ylim(0, max(bottom) * 1.05 or 1)
    step = max(1, len(weeks) // 13)
    ax.set_xticks(range(0, len(weeks), step), [f"{w:%d/%m}" for w in weeks][::step], fontsize=7)
    ax.set_ylabel("phút", fontsize=8)
    ax.set_title("Thời lượng phát theo tuần và chủ đề", fontsize=9)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


# ---------------------------------------------------------------- HTML
def to_html(station: Station, report: Report, today: dt.date) -> str:
    e = html.escape
    rows = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in summary_lines(report))
    topics = "".join(f"<tr><td>{e(t.label)}</td><td>{t.airings}</td><td>{t.distinct}</td><td>{hms(t.seconds)}</td></tr>"
                     for t in report.topics if t.airings)
    zones = "".join(f"<tr><td>{e(report.zone_name(z.zone))}</td><td>{z.broadcasts}</td><td>{hms(z.seconds)}</td></tr>"
                    for z in report.zones)
    reasons = "".join(f"<li>{e(STATUS_VI.get(s, s))} ({n}): {e(r)}</li>" for s, r, n in report.reasons)
    voices = "".join(f"<tr><td>{e(voice_vi(v.voice))}</td><td>{v.broadcasts}</td><td>{v.fallback}</td></tr>"
                     for v in report.voices)
    languages = "".join(f"<tr><td>{e(lang)}</td><td>{n}</td></tr>" for lang, n in report.languages)
    lines = "".join(f"<tr><td>{line.start:%d/%m/%Y %H:%M}</td><td>{e(', '.join(report.zone_name(z) for z in line.zones))}</td>"
                    f"<td>{e(line.title)}</td><td>{hms(line.seconds)}</td></tr>" for line in report.lines)
    png = chart_png(station, report)
    chart = f'<img alt="biểu đồ" src="data:image/png;base64,{base64.b64encode(png).decode()}">' if png else ""
    body = ("<p>Trong kỳ báo cáo không có buổi phát nào được ghi nhận.</p>" if report.empty else
            f"<h2>I. Tổng hợp</h2><table>{rows}</table><h2>II. Theo chủ đề</h2>"
            f"<table><tr><th>Chủ đề</th><th>Lượt</th><th>Bài</th><th>Thời lượng</th></tr>{topics}</table>{chart}"
            f"<h2>III. Theo cụm loa</h2><table>{zones}</table><h2>IV. Theo lịch và đã phát</h2><ul>{reasons}</ul>"
            f"<h2>V. Danh sách tin, bài đã phát</h2><table>{lines}</table>"
            f"<h2>VI. Theo giọng đọc</h2><table><tr><th>Giọng đọc</th><th>Số buổi</th><th>Giọng dự phòng</th></tr>"
            f"{voices}</table><h2>VII. Theo ngôn ngữ</h2><table><tr><th>Ngôn ngữ</th><th>Lượt tin, bài</th></tr>"
            f"{languages}</table>")
    return (f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>{e(title(station, report))}</title>"
            "<style>body{font-family:'Times New Roman',serif;max-width:50em;margin:2em auto}"
            "td,th{border:1px solid #999;padding:2px 6px}table{border-collapse:collapse}</style>"
            f"<p><b>{e(station.organisation)}</b><br>Số: {e(station.report.number)}</p>"
            f"<p style='text-align:right'><i>{e(station.report.place)}, {_vi_date(today)}</i></p>"
            f"<h1 style='text-align:center'>BÁO CÁO<br><small>{e(title(station, report))}</small></h1>{body}</html>")


def _vi_date(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


# ---------------------------------------------------------------- DOCX (Nghị định 30/2020/NĐ-CP)
APPENDIX_ROWS = 400      # a longer list of airings goes to the CSV, not into pages to print


def appendix_note(report: Report) -> str:
    """Where the list of airings is: the appendix below the signature (written then), the CSV, or none."""
    if not report.lines:
        return "Trong kỳ không có tin, bài nào được phát trọn vẹn, nên báo cáo không có danh sách kèm theo."
    if len(report.lines) <= APPENDIX_ROWS:
        return f"Danh sách {number(len(report.lines))} lần phát tin, bài: xem Phụ lục ở cuối báo cáo này."
    return (f"Danh sách {number(len(report.lines))} lần phát tin, bài quá dài để in kèm: xem tệp CSV tải ở "
            "trang Báo cáo của phần mềm (nút Tải CSV), gửi kèm báo cáo này.")


def write_docx(station: Station, report: Report, today: dt.date, out: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    from lxml import etree

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(3)

    def para(text: str = "", *, bold=False, italic=False, size=None, align=None, parent=None):
        p = (parent or doc).add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if align:
            p.alignment = align
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    head = doc.add_table(rows=1, cols=2)
    head.autofit = False
    left_cell, right_cell = head.rows[0].cells
    for column, cell, width in ((head.columns[0], left_cell, Mm(62)), (head.columns[1], right_cell, Mm(103))):
        column.width = cell.width = width       # the grid (LibreOffice) and the cell (Word): the national
                                                # heading must fit on one line
    org = station.organisation.split(" XÃ ", 1)
    left_cell.paragraphs[0].text = ""
    para(org[0] if len(org) == 2 else "", size=13, align=center, parent=left_cell)
    para(("XÃ " + org[1]) if len(org) == 2 else station.organisation, bold=True, size=13, align=center,
         parent=left_cell)
    para("―――――", size=10, align=center, parent=left_cell)
    para(f"Số: {station.report.number}", size=13, align=center, parent=left_cell)
    para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, align=center, parent=right_cell)
    para("Độc lập - Tự do - Hạnh phúc", bold=True, size=14, align=center, parent=right_cell)
    para("―――――――――――", size=10, align=center, parent=right_cell)
    para(f"{station.report.place}, {_vi_date(today)}", italic=True, size=14, align=center, parent=right_cell)
    for cell in (left_cell, right_cell):
        if not cell.paragraphs[0].text:
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)

    para("BÁO CÁO", bold=True, size=14, align=center).paragraph_format.space_before = Pt(12)
    para(title(station, report), bold=True, size=14, align=center)
    if report.zone:
        para(f"(cụm loa {report.zone_name(report.zone)})", italic=True, align=center)
    para("―――――", size=10, align=center)
    para(f"Thực hiện kế hoạch tuyên truyền cải cách hành chính, {station.name} báo cáo kết quả "
         f"{report.period.label} (từ ngày {report.period.start:%d/%m/%Y} đến ngày "
         f"{report.period.end - dt.timedelta(days=1):%d/%m/%Y}) như sau:")

    def table(header: list[str], body: list[list[str]], widths: tuple[int, ...] = ()):
        """A table with a bold header row; WIDTHS in mm (the text width is 165 mm)."""
        t = doc.add_table(rows=2, cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        if widths:
            t.autofit = False
            for n, width in enumerate(widths):
                t.columns[n].width = Mm(width)
                for row in t.rows:
                    row.cells[n].width = Mm(width)
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold, run.font.size = True, Pt(12)
        for cell in t.rows[1].cells:
            cell.text = ""
            cell.paragraphs[0].add_run("-").font.size = Pt(12)
        # rows made from a template row as XML text and parsed at once: python-docx's add_row
        # (and copying elements) takes seconds for a year's list of thousands of rows
        old = t._tbl
        whole = etree.tostring(old, encoding="unicode")
        first, last = whole.rfind("<w:tr"), whole.rfind("</w:tr>") + len("</w:tr>")
        parts = whole[first:last].split("<w:t>-</w:t>")    # the last row, as it sits in the table
        rows = "".join(parts[0] + "".join(f"<w:t xml:space=\"preserve\">{html.escape(str(v), quote=False)}</w:t>"
                                          + part for v, part in zip(values, parts[1:])) for values in body)
        # the table goes into document.xml as text after saving: building thousands of rows
        # as elements (add_row, copying, or moving a parsed table in) takes seconds
        marker = f"@@TABLE-{len(tables)}@@"
        tables[marker] = whole[:first] + rows + whole[last:]
        old.addprevious(para(marker)._p)
        old.getparent().remove(old)

    tables: dict[str, str] = {}
    if report.empty:
        para("I. KẾT QUẢ", bold=True)
        para("Trong kỳ báo cáo, Đài truyền thanh không có buổi phát nào được ghi nhận trong nhật ký phát sóng.")
    else:
        para("I. KẾT QUẢ THỰC HIỆN", bold=True)
        para("1. Tổng hợp", bold=True)
        table(["Nội dung", "Kết quả"], [[k, v] for k, v in summary_lines(report)], (125, 40))
        para("Thời lượng chương trình tính cả nhạc hiệu, lời chào và khoảng nghỉ; thời lượng theo chủ đề và "
             "theo tin, bài chỉ tính phần đọc tin. Các số đều cộng theo từng cụm loa.", italic=True, size=12)
        para("2. Theo chủ đề", bold=True)
        table(["Chủ đề", "Số lượt", "Số bài", "Thời lượng đọc"],
              [[t.label, number(t.airings), number(t.distinct), hms(t.seconds)] for t in report.topics if t.airings],
              (95, 22, 20, 28))
        png = chart_png(station, report)
        if png:
            doc.add_picture(io.BytesIO(png), width=Mm(160))
            para("Biểu đồ: thời lượng phát theo tuần và chủ đề", italic=True, size=12, align=center)
        para("3. Theo tin, bài", bold=True)
        topic_labels = {t.code: t.label for t in report.topics}
        table(["Tin, bài", "Chủ đề", "Số lượt", "Số cụm loa", "Thời lượng đọc"],
              [[i.title, topic_labels.get(i.topic, i.topic), number(i.airings), number(len(i.zones)), hms(i.seconds)]
               for i in report.items], (62, 45, 18, 18, 22))
        if report.relays:
            para("Tiếp sóng đài cấp trên", bold=True)
            table(["Nguồn", "Số lượt", "Thời lượng tiếp sóng", "Theo kế hoạch", "Đoạn hụt"],
                  [[r.source, r.airings, hms(r.relayed), hms(r.planned), r.gaps] for r in report.relays],
                  (62, 20, 30, 30, 20))
        para("4. Theo cụm loa", bold=True)
        table(["Cụm loa", "Số buổi", "Thời lượng chương trình"],
              [[report.zone_name(z.zone), number(z.broadcasts), hms(z.seconds)] for z in report.zones], (95, 30, 40))
        para("5. Theo lịch và đã phát", bold=True)
        para(f"Theo lịch có {number(report.scheduled)} buổi; đã phát {number(report.aired_scheduled)} buổi, đạt "
             f"{percent(report.completion)}." if report.scheduled else
             "Trong kỳ chưa có buổi nào theo lịch đến giờ phát, nên chưa tính tỷ lệ hoàn thành.")
        if report.reasons:
            table(["Tình trạng", "Số lần", "Nguyên nhân"],
                  [[STATUS_VI.get(s, s), number(n), in_words(reason)] for s, reason, n in report.reasons], (35, 20, 110))
        if report.voices:
            para("6. Theo giọng đọc", bold=True)
            table(["Giọng đọc", "Số buổi", "Trong đó giọng dự phòng"],
                  [[voice_vi(v.voice), number(v.broadcasts), number(v.fallback)] for v in report.voices], (85, 30, 50))
        if any(lang != VIETNAMESE for lang, _n in report.languages):
            para("7. Theo ngôn ngữ", bold=True)
            table(["Ngôn ngữ", "Số lượt tin, bài"], [[lang, number(n)] for lang, n in report.languages], (110, 55))
        para(appendix_note(report), italic=True)
    para("II. PHƯƠNG HƯỚNG KỲ TỚI", bold=True)
    para("Tiếp tục duy trì phát sóng theo lịch, bám sát kế hoạch tuyên truyền cải cách hành chính.")

    sign = doc.add_table(rows=1, cols=2)
    left_cell, right_cell = sign.rows[0].cells
    left_cell.paragraphs[0].text = ""
    para("Nơi nhận:", bold=True, italic=True, size=12, parent=left_cell)
    recipients = list(station.report.recipients)
    for n, who in enumerate(recipients):
        para(f"- {who}{'.' if n == len(recipients) - 1 else ';'}", size=11, parent=left_cell)
    para(station.report.on_behalf, bold=True, size=13, align=center, parent=right_cell)
    para(station.report.signer_title, bold=True, size=13, align=center, parent=right_cell)
    para("", parent=right_cell)
    para("", parent=right_cell)
    para(station.report.signer, bold=True, size=14, align=center, parent=right_cell)
    for cell in (left_cell, right_cell):
        if not cell.paragraphs[0].text:
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    if 0 < len(report.lines) <= APPENDIX_ROWS:     # after the signature: the report itself stays short
        from docx.enum.text import WD_BREAK

        para().add_run().add_break(WD_BREAK.PAGE)
        para("PHỤ LỤC", bold=True, align=center)
        para(f"Danh sách các lần phát tin, bài {report.period.label}", bold=True, align=center)
        table(["Ngày", "Giờ", "Cụm loa", "Tin, bài", "Thời lượng đọc"],
              [[f"{line.start:%d/%m/%Y}", f"{line.start:%H:%M}", ", ".join(report.zone_name(z) for z in line.zones),
                line.title, hms(line.seconds)] for line in report.lines], (24, 14, 55, 52, 20))
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
        _insert_tables(tmp, tables)


def _insert_tables(path: Path, tables: dict[str, str]) -> None:
    """Put each table's XML where its marker paragraph is, in word/document.xml."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                for marker, xml in tables.items():
                    text = re.sub(rf"<w:p>(?:(?!</w:p>).)*?{re.escape(marker)}.*?</w:p>", lambda _: xml, text,
                                  count=1, flags=re.S)
                data = text.encode("utf-8")
            z.writestr(info, data)


def render(station: Station, report: Report, fmt: str, today: dt.date, out: Path | None) -> str:
    """Write or return the report in FMT; returns what to print."""
    if fmt == "docx":
        if out is None:
            raise ValueError("docx needs an output file")
        write_docx(station, report, today, out)
        return _("wrote {path}").format(path=out)
    text = {"table": lambda: to_table(station, report), "csv": lambda: to_csv(station, report),
            "sheet": lambda: to_sheet(station, report),
            "html": lambda: to_html(station, report, today)}[fmt]()
    if out is None:
        return text
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return _("wrote {path}").format(path=out)
