"""A topic guessed for a proposal from the words it uses, with how sure the guess is."""

from __future__ import annotations

import re

from broadcast.station.topics import Topic

# words that point to each default topic (a station's own topics are guessed from their labels)
CUES: dict[str, tuple[str, ...]] = {
    "the-che": ("thể chế", "văn bản quy phạm", "quy phạm pháp luật", "pháp luật", "kiểm tra văn bản", "rà soát văn bản"),
    "thu-tuc-hanh-chinh": ("thủ tục hành chính", "tthc", "một cửa", "tiếp nhận và trả kết quả", "niêm yết",
                           "phản ánh, kiến nghị", "hồ sơ"),
    "bo-may": ("bộ máy", "sắp xếp", "tinh gọn", "biên chế", "sáp nhập", "đơn vị hành chính", "chính quyền địa phương hai cấp",
               "hai cấp"),
    "cong-vu": ("công vụ", "cán bộ, công chức", "công chức", "đạo đức", "kỷ luật, kỷ cương", "kỷ cương", "văn hóa công sở",
                "tinh thần, thái độ"),
    "tai-chinh-cong": ("tài chính", "ngân sách", "kinh phí", "tự chủ", "thu chi", "đầu tư công"),
    "chinh-phu-so": ("chuyển đổi số", "chính quyền số", "chính quyền điện tử", "điện tử", "vneid", "số hóa", "ứng dụng",
                     "công nghệ thông tin", "chữ ký số", "thanh toán không dùng tiền mặt"),
    "dich-vu-cong": ("dịch vụ công", "trực tuyến", "cổng dịch vụ công", "nộp hồ sơ", "toàn trình"),
    "chi-so": ("par index", "sipas", "papi", "ddci", "dti", "chỉ số", "mức độ hài lòng", "sự hài lòng"),
    "guong-dien-hinh": ("gương", "điển hình", "khen thưởng", "tiêu biểu", "người tốt, việc tốt", "nêu gương"),
}


def _cues(topic: Topic) -> tuple[str, ...]:
    return CUES.get(topic.code) or tuple(w for w in re.split(r"[,;]\s*|\s+", topic.label.lower()) if len(w) > 3)


def guess(text: str, topics: tuple[Topic, ...]) -> tuple[str, float]:
    """(topic code, confidence 0..1). Nothing recognised: the catch-all topic with 0."""
    low = " ".join(text.lower().split())
    scores = {t.code: sum(low.count(cue) * len(cue.split()) for cue in _cues(t)) for t in topics if t.code != "khac"}
    total = sum(scores.values())
    fallback = "khac" if any(t.code == "khac" for t in topics) else topics[-1].code
    if total == 0:
        return fallback, 0.0
    best = max(scores, key=scores.get)
    share = scores[best] / total
    strength = min(1.0, scores[best] / 6)            # a single mention is a weak sign
    return best, round(share * strength, 2)

