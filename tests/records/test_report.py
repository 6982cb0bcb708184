import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from broadcast.cli import main
from broadcast.records import asrun
from broadcast.records.asrun import AiredItem
from broadcast.records.formats import to_csv, write_docx
from broadcast.records.report import PeriodError, parse_period, station_report
from broadcast.station import db
from broadcast.station.settings import load_station

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
A = AiredItem("mot-cua", "Một cửa liên thông", "thu-tuc-hanh-chinh", "aaaa", "espeak", 60.0)
B = AiredItem("dvc", "Dịch vụ công trực tuyến", "dich-vu-cong", "bbbb", "espeak", 40.5)
C = AiredItem("khan", "Thông báo khẩn", "khac", "cccc", "espeak", 10.0)


def _row(conn, occurrence, when, status, played, items=(), error=None, zone="thon-1", attempt=1):
    row = asrun.begin(conn, occurrence=occurrence, attempt=attempt, slot=occurrence.split("/")[1], zone=zone,
                      output="pulse", scheduled=when, started=when, planned=played, items=list(items), audio=None)
    asrun.finish(conn, row, status, when + dt.timedelta(seconds=played), played, error)


@pytest.fixture
def logged(station_dir):
    """A quarter's as-run log with every kind of outcome, figures known by construction."""
    conn = db.connect(station_dir / "station.db")
    d = lambda m, day, h=6: dt.datetime(2024, m, day, h, tzinfo=TZ)  # noqa: E731
    _row(conn, "2024-01-08/sang/thon-1", d(1, 8), "completed", 100.5, [A, B])
    _row(conn, "2024-01-08/sang/thon-2", d(1, 8), "completed", 100.5, [A, B], zone="thon-2")
    _row(conn, "2024-02-05/sang/thon-1", d(2, 5), "completed", 60.0, [A])
    _row(conn, "2024-02-06/sang/thon-1", d(2, 6), "missed", 0.0, error="the daemon was not running at airtime")
    _row(conn, "2024-02-07/sang/thon-1", d(2, 7), "failed", 0.0, error="player exited with 1: no sink")
    _row(conn, "2024-03-04/sang/thon-1", d(3, 4), "interrupted", 20.0, [A], error="stopped")
    _row(conn, "2024-03-04/sang/thon-1", d(3, 4), "completed", 60.0, [A], attempt=2)
    _row(conn, "emergency/1/thon-1", d(3, 4, 9), "completed", 10.0, [C])
    _row(conn, "2024-03-05/sang/thon-1", d(3, 5), "fallback", 30.0, error="program audio not rendered; standby")
    _row(conn, "2024-04-01/sang/thon-1", d(4, 1), "completed", 60.0, [A])          # next quarter
    conn.close()
    return station_dir


def test_figures_agree_with_the_log(logged):
    r = station_report(load_station(logged), "2024-Q1")
    assert r.scheduled == 7 and r.broadcasts == 6 and r.emergencies == 1 and r.aired_scheduled == 5
    assert r.airtime == pytest.approx(100.5 * 2 + 60 + 20 + 60 + 10 + 30)
    assert r.item_airings == 7 and r.distinct_items == 3
    topics = {t.code: t for t in r.topics}
    assert topics["thu-tuc-hanh-chinh"].airings == 4 and topics["thu-tuc-hanh-chinh"].seconds == 240.0
    assert topics["thu-tuc-hanh-chinh"].reform and not topics["dich-vu-cong"].reform
    assert r.statuses == {"completed": 5, "missed": 1, "failed": 1, "interrupted": 1, "fallback": 1}
    assert r.completion == pytest.approx(5 / 7)
    assert {z.zone: z.broadcasts for z in r.zones} == {"thon-1": 5, "thon-2": 1}
    assert [(line.script, line.zones) for line in r.lines][:2] == [("dvc", ("thon-1", "thon-2")), ("mot-cua", ("thon-1", "thon-2"))]
    assert [w for w, _ in r.weeks] == [dt.date(2024, 1, 8), dt.date(2024, 2, 5), dt.date(2024, 3, 4)]


def test_csv_reads_back_to_the_same_figures(logged):
    station = load_station(logged)
    rows = list(csv.DictReader(io.StringIO(to_csv(station, station_report(station, "2024-Q1")))))
    summary = {r["name"]: r for r in rows if r["section"] == "tong-hop"}
    assert int(summary["broadcasts"]["count"]) == 6 and float(summary["broadcasts"]["seconds"]) == 381.0
    items = [r for r in rows if r["section"] == "tin-bai"]
    assert sum(int(r["count"]) for r in items) == 7
    assert sum(int(r["count"]) * float(r["seconds"]) for r in items) == 60 * 4 + 40.5 * 2 + 10
    assert items[0]["date"] == "2024-01-08" and items[0]["time"] == "06:00:00" and items[0]["zone"] == "thon-1 thon-2"
    reasons = {r["name"]: int(r["count"]) for r in rows if r["section"] == "ly-do"}
    assert reasons == {"missed": 1, "failed": 1, "interrupted": 1, "fallback": 1}


def test_docx_has_the_administrative_form_and_the_figures(logged, tmp_path):
    from docx import Document

    station = load_station(logged)
    out = tmp_path / "bao-cao.docx"
    names = {"thon-1": "Thôn Một", "thon-2": "Thôn Hai"}
    write_docx(station, station_report(station, "2024-Q1", zone_names=names), dt.date(2024, 4, 5), out)
    doc = Document(str(out))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm), round(s.right_margin.mm)) \
        == (20, 20, 30, 15)
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 14
    head = doc.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN" in head[0].text and "XÃ MINH ĐỨC" in head[0].text and "Số: …/BC-UBND" in head[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text and "Độc lập - Tự do - Hạnh phúc" in head[1].text
    assert "Minh Đức, ngày 05 tháng 04 năm 2024" in head[1].text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kết quả thông tin, tuyên truyền cải cách hành chính quý I năm 2024" in text
    summary = {row.cells[0].text: row.cells[1].text for row in doc.tables[1].rows[1:]}
    assert summary["Số buổi phát (lượt theo cụm loa)"] == "6" and summary["Tổng thời lượng phát (chương trình, kể cả nhạc hiệu)"] == "0:06:21"
    assert summary["Tỷ lệ hoàn thành"] == "71,4%"
    by_item = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tin, bài")
    by_topic = next(t for t in doc.tables if t.rows[0].cells[0].text == "Chủ đề")
    assert sum(int(r.cells[2].text) for r in by_item.rows[1:]) == sum(int(r.cells[1].text) for r in by_topic.rows[1:])
    by_zone = next(t for t in doc.tables if t.rows[0].cells[0].text == "Cụm loa")
    assert [r.cells[0].text for r in by_zone.rows[1:]] == ["Thôn Một", "Thôn Hai"]   # names, never ids
    listed = doc.tables[-1]                                  # the appendix, after the signature
    assert len(listed.rows) == 1 + 5                         # zones airing an item together share a row
    assert [c.text for c in listed.rows[1].cells] == ["08/01/2024", "06:00", "Thôn Một, Thôn Hai",
                                                     "Dịch vụ công trực tuyến", "0:00:40"]
    sign = doc.tables[-2].rows[0].cells
    assert "Nơi nhận:" in sign[0].text and "Lưu: VT." in sign[0].text
    assert "CHỦ TỊCH" in sign[1].text and "Nguyễn Văn An" in sign[1].text
    assert len(doc.inline_shapes) == 1                       # the weekly chart


def test_empty_period_is_a_clear_report(logged, capsys):
    with pytest.raises(SystemExit) as done:
        main(["-S", str(logged), "report", "--period", "2023-Q3"])
    assert done.value.code == 0
    assert "không có buổi phát nào" in capsys.readouterr().out


def test_empty_period_docx(logged, tmp_path):
    from docx import Document

    out = tmp_path / "trong.docx"
    with pytest.raises(SystemExit) as done:
        main(["-S", str(logged), "report", "--period", "2023", "--format", "docx", "-o", str(out)])
    assert done.value.code == 0
    assert "không có buổi phát nào" in "\n".join(p.text for p in Document(str(out)).paragraphs)


@pytest.mark.parametrize("text, start, end, label", [
    ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 4, 1), "quý I năm 2024"),
    ("2024-Q4", dt.date(2024, 10, 1), dt.date(2025, 1, 1), "quý IV năm 2024"),
    ("2024-H1", dt.date(2024, 1, 1), dt.date(2024, 7, 1), "6 tháng đầu năm 2024"),
    ("2024", dt.date(2024, 1, 1), dt.date(2025, 1, 1), "năm 2024"),
    ("2024-03-01..2024-03-31", dt.date(2024, 3, 1), dt.date(2024, 4, 1), "từ ngày 01/03/2024 đến ngày 31/03/2024"),
])
def test_periods(text, start, end, label):
    p = parse_period(text)
    assert (p.start, p.end, p.label) == (start, end, label)


@pytest.mark.parametrize("bad", ["2024-Q5", "Q1", "2024-13", "2024-03-31..2024-03-01", "quý 1"])
def test_bad_period_is_a_clear_error(bad):
    with pytest.raises(PeriodError) as caught:
        parse_period(bad)
    assert caught.value.hint


def test_cli_bad_period_exit_code(logged, capsys):
    with pytest.raises(SystemExit) as done:
        main(["-S", str(logged), "report", "--period", "2024-Q7"])
    assert done.value.code == 1 and "cannot read the period" in capsys.readouterr().err


def test_the_docx_prints_as_the_province_expects(logged, tmp_path):
    """Printed by LibreOffice (as on a Debian PC): the national heading on one line, a metric-
    compatible serif in place of Times New Roman, zone names, and the report before its appendix."""
    import subprocess

    station = load_station(logged)
    out = tmp_path / "bao-cao.docx"
    names = {"thon-1": "Thôn Một", "thon-2": "Thôn Hai"}
    write_docx(station, station_report(station, "2024-Q1", zone_names=names), dt.date(2024, 4, 5), out)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "bao-cao.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in text.splitlines())
    assert "Thôn Một" in text and "thon-1" not in text
    assert text.index("Nơi nhận") < text.index("PHỤ LỤC")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts and "DejaVu" not in fonts


def test_relay_time_is_counted_per_source_beside_the_own_news(station_dir):
    conn = db.connect(station_dir / "station.db")
    when = dt.datetime(2024, 1, 8, 6, tzinfo=TZ)
    _row(conn, "2024-01-08/sang/thon-1", when + dt.timedelta(minutes=30), "completed", 100.5, [A, B])
    for zone, relayed, gaps, status in (("thon-1", 1800.0, [], "completed"),
                                        ("thon-2", 1700.0, [{"from": "a", "to": "b", "why": "x", "filler": "y"}],
                                         "fallback")):
        row = asrun.begin(conn, occurrence=f"2024-01-08/sang~relay/{zone}", attempt=1, slot="sang", zone=zone,
                          output="pulse", scheduled=when, started=when, planned=1800.0, items=[], audio=None,
                          relay_source="VOV1 – Thời sự")
        asrun.relayed(conn, row, relayed, gaps)
        asrun.finish(conn, row, status, when + dt.timedelta(minutes=30), 1800.0)
    conn.close()
    station = load_station(station_dir)
    r = station_report(station, "2024-Q1")
    [line] = r.relays
    assert (line.source, line.airings, line.relayed, line.planned, line.gaps) == \
        ("VOV1 – Thời sự", 2, 3500.0, 3600.0, 1)
    assert r.own_seconds == pytest.approx(100.5) and r.item_airings == 2       # relays are not news items
    rows = list(csv.reader(io.StringIO(to_csv(station, r))))
    assert any(row[:5] == ["tiep-song", "VOV1 – Thời sự", "1 đoạn hụt", "2", "3500.0"] for row in rows)


def test_sheet_format_opens_in_a_spreadsheet(logged, capsys):
    """28.10 from the command line: `report --format sheet` is the officer's CSV (BOM, Vietnamese
    headings, zone names, dd/mm/yyyy); `--format csv` keeps the codes."""
    import csv
    import io

    from broadcast.records.formats import to_sheet

    with pytest.raises(SystemExit) as done:
        main(["-S", str(logged), "report", "--period", "2024-Q1", "--format", "sheet"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:2] == ["Phần", "Nội dung"]
    assert [r for r in rows if r[0] == "Tin, bài đã phát"][0][4] == "08/01/2024"
    station = load_station(logged)
    named = station_report(station, "2024-Q1", zone_names={"thon-1": "Thôn Một", "thon-2": "Thôn Hai"})
    rows = list(csv.reader(io.StringIO(to_sheet(station, named)[1:])))
    aired = [r for r in rows if r[0] == "Tin, bài đã phát"]
    assert aired[0][6] == "Thôn Một, Thôn Hai" and aired[0][7] == "Dịch vụ công trực tuyến"
    with pytest.raises(SystemExit):
        main(["-S", str(logged), "report", "--period", "2024-Q1", "--format", "csv"])
    assert "tin-bai," in capsys.readouterr().out
