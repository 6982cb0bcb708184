"""How the console shows dates, times and states: dd/mm/yyyy, Thứ Hai … Chủ Nhật, 24-hour time,
and the Vietnamese name of every status. Views turn records into display values with these, so
the templates hold no logic."""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
AIRING = {"completed": "Đã phát", "interrupted": "Bị ngắt", "failed": "Lỗi", "missed": "Bị lỡ",
          "fallback": "Phát dự phòng", "playing": "Đang phát", "planned": "Chờ phát",
          "unlogged": "Không thấy phát"}
ITEM_STATUS = {"draft": "Nháp", "pending": "Chờ duyệt", "approved": "Đã duyệt"}
PRIORITY = {"normal": "Bình thường", "priority": "Ưu tiên", "emergency": "Khẩn cấp"}


def date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day and day != dt.date.max else ""


def validity(first: dt.date, last: dt.date) -> str:
    return f"{date(first)} – {date(last)}" if last != dt.date.max else f"từ {date(first)}, không thời hạn"


def weekday_date(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {date(day)}"


def time(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def moment(at: dt.datetime | None) -> str:
    return at.strftime("%H:%M %d/%m/%Y") if at else ""


def iso_moment(text: str | None) -> str:
    return moment(dt.datetime.fromisoformat(text)) if text else ""


def mmss(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def parse_date(text: str | None) -> dt.date | None:
    """A date from a form: 2024-03-18 (date picker) or 18/03/2024 (typed)."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None
