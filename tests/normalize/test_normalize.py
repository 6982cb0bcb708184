import re
import subprocess
import sys
import unicodedata

import pytest

from broadcast.news.scripts import check_scripts
from broadcast.normalize import Normalizer
from broadcast.normalize.lexicon import is_syllable
from tests.conftest import REPO


@pytest.fixture(scope="module")
def n():
    return Normalizer.for_station()


@pytest.mark.parametrize("written, spoken", [
    ("Quyết định số 384/QĐ-UBND", "Quyết định số ba trăm tám mươi tư của Ủy ban nhân dân"),
    ("ngày 17/01/2024", "ngày mười bảy tháng một năm hai nghìn không trăm hai mươi tư"),
    ("100% TTHC", "một trăm phần trăm thủ tục hành chính"),
    ("giai đoạn 2021-2025", "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
    ("Quý IV/2024", "Quý bốn năm hai nghìn không trăm hai mươi tư"),
    ("lúc 17h30", "lúc mười bảy giờ ba mươi phút"),
    ("ngày 10-10", "ngày mười tháng mười"),
    ("2,5 điểm", "hai phẩy năm điểm"),
    ("15.000.000 đồng", "mười lăm triệu đồng"),
    ("đ/c Lan", "đồng chí Lan"),
    ("Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("Nghị định 107/2021/NĐ-CP", "Nghị định số một trăm linh bảy năm hai nghìn không trăm hai mươi mốt của Chính phủ"),
    ("Nghị quyết 05-NQ/TW", "Nghị quyết số năm của Trung ương"),
    ("theo 32-CTr/HU", "theo chương trình số ba mươi hai của Huyện ủy"),
    ("Thông tư 26/2009/TT-BTTTT", "Thông tư số hai mươi sáu năm hai nghìn không trăm linh chín của Bộ Thông tin và Truyền thông"),
    ("06 tháng", "sáu tháng"),
    ("05 nội dung", "năm nội dung"),
    ("thứ 1", "thứ nhất"),
    ("thứ 2", "thứ hai"),
    ("8:00", "tám giờ"),
    ("14g30", "mười bốn giờ ba mươi phút"),
    ("5:20:35", "năm giờ hai mươi phút ba mươi lăm giây"),
    ("Phần I, Chương III", "Phần một, Chương ba"),
    ("-5", "âm năm"),
    ("3/4", "ba phần tư"),
    ("tháng 04/1969", "tháng tư năm một nghìn chín trăm sáu mươi chín"),
    ("PAR INDEX, SIPAS, PAPI, DDCI, DTI", "pa in đéc, xi pát, pa pi, đê đê xê i, đê tê i"),
    ("gọi 0912 345 678", "gọi không chín một hai, ba bốn năm, sáu bảy tám"),
    ("Hạ Long, Long Hải, Minh Đức, Bằng Cả", "Hạ Long, Long Hải, Minh Đức, Bằng Cả"),
])
def test_reads_like_an_announcer(n, written, spoken):
    assert n.normalize(written) == spoken


def test_section_heading_roman(n):
    assert n.normalize("II. NHIỆM VỤ") == "hai. nhiệm vụ"


def test_unknown_capitals_are_spelled_in_vietnamese(n):
    assert n.normalize("Hệ thống XYZ") == "Hệ thống ích i dét"


def test_composed_and_decomposed_input_agree(n):
    text = "Ủy ban nhân dân xã Minh Đức, Quyết định 12/QĐ-UBND"
    assert n.normalize(unicodedata.normalize("NFD", text)) == n.normalize(text)
    assert unicodedata.is_normalized("NFC", n.normalize(unicodedata.normalize("NFD", text)))


def test_eth_becomes_d_stroke(n):
    assert n.normalize("\u00d0ảng ủy") == "Đảng ủy"


def test_samples_reach_the_engine_without_digits_or_foreign_tokens(n):
    for item in check_scripts([REPO / "scripts"]).items:
        for text in (item.title, *item.paragraphs):
            spoken = n.normalize(text)
            assert not re.search(r"\d", spoken), spoken
            words = re.findall(r"[^\W\d_]+", spoken)
            foreign = [w for w in words if not is_syllable(w)]
            assert not foreign, (item.id, foreign)


def test_station_lexicon_overrides_builtin(tmp_path):
    lex = tmp_path / "lexicon.yaml"
    lex.write_text("words:\n  UBND: U bê\n  hội an: Hội An xinh\n", encoding="utf-8")
    n = Normalizer.for_station(lex)
    assert n.normalize("UBND Hội An") == "U bê Hội An xinh"


def test_bad_station_lexicon_names_file_and_line(tmp_path):
    from broadcast.errors import InputError

    lex = tmp_path / "lexicon.yaml"
    lex.write_text("words:\n  UBND: ''\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        Normalizer.for_station(lex)
    assert info.value.line == 2 and "UBND" in str(info.value)


def test_stdin_gives_one_line_per_line(tmp_path):
    text = "Ngày 17/01/2024\n\n100% TTHC\nQuý IV\n"
    done = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(tmp_path), "normalize"],
                          input=text, capture_output=True, text=True, check=True)
    lines = done.stdout.split("\n")
    assert lines[:4] == ["Ngày mười bảy tháng một năm hai nghìn không trăm hai mươi tư", "",
                         "một trăm phần trăm thủ tục hành chính", "Quý bốn"]
    assert len(done.stdout.splitlines()) == 4


def test_throughput_is_not_pathological(n):
    """Catastrophic regex backtracking would make this hang (speed itself is in bench/)."""
    n.normalize("1" * 5000 + " " + "a-" * 3000 + " " + "./" * 3000)


def test_lines_stay_lines_and_context_does_not_cross_them():
    n = Normalizer.for_station()
    out = n.normalize("I. Kết quả\n- Tỷ lệ 100%\n\nngày\n17/01, giai đoạn 2021 -\n2025")
    assert out.split("\n") == ["một. Kết quả", "Tỷ lệ một trăm phần trăm", "", "ngày",
                               "ngày mười bảy tháng một, giai đoạn hai nghìn không trăm hai mươi mốt",
                               "hai nghìn không trăm hai mươi lăm"]


def test_issuer_already_written_after_the_symbol_is_read_once():
    n = Normalizer.for_station()
    assert n.normalize("Chỉ thị số 32-CT/TU của Tỉnh ủy") == "Chỉ thị số ba mươi hai của Tỉnh ủy"


def test_dots_between_groups_of_three_are_thousands_unless_a_section_or_version():
    n = Normalizer.for_station(None)
    assert n.normalize("Bộ phận Một cửa tiếp nhận 1.250 hồ sơ") == \
        "Bộ phận Một cửa tiếp nhận một nghìn hai trăm năm mươi hồ sơ"
    assert n.normalize("12.500 nhân khẩu, 1.025 hộ") == \
        "mười hai nghìn năm trăm nhân khẩu, một nghìn không trăm hai mươi lăm hộ"
    assert n.normalize("mục 1.100 của kế hoạch") == "mục một chấm một trăm của kế hoạch"
    assert n.normalize("phiên bản 2.0") == "phiên bản hai chấm không"


def test_commune_and_2025_reform_abbreviations_are_read_in_words():
    n = Normalizer.for_station(None)
    assert n.normalize("Báo cáo gửi Sở VHTTDL và Sở Nội vụ") == \
        "Báo cáo gửi Sở Văn hóa, Thể thao và Du lịch và Sở Nội vụ"
    assert n.normalize("Bộ phận HCC xã; xây dựng NTM; công tác GPMB") == \
        "Bộ phận hành chính công xã; xây dựng nông thôn mới; công tác giải phóng mặt bằng"
    assert n.normalize("UBND tỉnh, UBMTTQ xã, Hội LHPN") == \
        "Ủy ban nhân dân tỉnh, Ủy ban Mặt trận Tổ quốc xã, Hội Liên hiệp Phụ nữ"


def test_normalize_reads_stdin_line_by_line_and_refuses_non_utf8(station_dir):
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "normalize"],
                        input="\ufeffNgày 2/9\r\nCòn 1.250 hồ sơ\n".encode(), capture_output=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout.decode().splitlines()[0].startswith("Ngày")
    bad = subprocess.run([sys.executable, "-m", "broadcast", "-S", str(station_dir), "normalize"],
                         input="Xin chào\n".encode() + b"Xin ch\xe0o\n",            # line 2 in Latin-1
                         capture_output=True, timeout=60)
    assert bad.returncode == 1 and "stdin, line 2" in bad.stderr.decode() and "Traceback" not in bad.stderr.decode()
