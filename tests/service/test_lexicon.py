"""Lexicon entries added and removed through the service keep the file's comments and order."""

from __future__ import annotations

import pytest

from broadcast import service
from broadcast.errors import InputError

LEXICON = """\
# Từ điển của đài: giữ nguyên chú thích này
words:
  HTX: hợp tác xã      # chú thích cuối dòng
  zalo: da lô
document_types: {}
"""


def test_add_keeps_comments_and_previews_the_change(station_dir):
    (station_dir / "lexicon.yaml").write_text(LEXICON, "utf-8")
    station = service.station.open_station(station_dir)
    change = service.lexicon.add_entry(station, "QLĐT", "quản lý đô thị", sample="Phòng QLĐT xã")
    assert change.before.spoken != change.after.spoken
    assert change.after.spoken == "Phòng quản lý đô thị xã"
    text = (station_dir / "lexicon.yaml").read_text("utf-8")
    assert text.startswith("# Từ điển của đài: giữ nguyên chú thích này\nwords:\n  HTX: hợp tác xã      # chú thích")
    assert text.index("zalo") < text.index("QLĐT: quản lý đô thị") < text.index("document_types")
    assert service.reading.preview_reading(station, "QLĐT").spoken == "quản lý đô thị"


def test_add_to_a_flow_section_and_replace_an_entry(station_dir):
    (station_dir / "lexicon.yaml").write_text(LEXICON, "utf-8")
    station = service.station.open_station(station_dir)
    service.lexicon.add_entry(station, "KH", "kế hoạch", section="document_types")
    service.lexicon.add_entry(station, "HTX", "hợp tác xã nông nghiệp")
    own = {(e.section, e.written): e.spoken for e in service.lexicon.entries(station) if e.station}
    assert own == {("words", "HTX"): "hợp tác xã nông nghiệp", ("words", "zalo"): "da lô",
                   ("document_types", "KH"): "kế hoạch"}


def test_remove_and_errors(station_dir):
    (station_dir / "lexicon.yaml").write_text(LEXICON, "utf-8")
    station = service.station.open_station(station_dir)
    service.lexicon.remove_entry(station, "zalo")
    assert "zalo" not in (station_dir / "lexicon.yaml").read_text("utf-8")
    with pytest.raises(InputError):
        service.lexicon.remove_entry(station, "zalo")
    with pytest.raises(InputError):
        service.lexicon.add_entry(station, "QLĐT", "  ")


def test_try_entry_saves_nothing(station_dir):
    station = service.station.open_station(station_dir)
    before = (station_dir / "lexicon.yaml").read_text("utf-8")
    reading = service.lexicon.try_entry(station, "GPMB", "giải phóng mặt bằng", "Công tác GPMB")
    assert reading.spoken == "Công tác giải phóng mặt bằng"
    assert (station_dir / "lexicon.yaml").read_text("utf-8") == before
