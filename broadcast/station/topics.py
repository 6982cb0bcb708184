"""Topics of reform communication, each with the Vietnamese label used in reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    group: str = "khac"   # "cai-cach" for the six reform areas


DEFAULT_TOPICS: tuple[Topic, ...] = (
    Topic("the-che", "Cải cách thể chế", "cai-cach"),
    Topic("thu-tuc-hanh-chinh", "Cải cách thủ tục hành chính", "cai-cach"),
    Topic("bo-may", "Cải cách tổ chức bộ máy hành chính nhà nước", "cai-cach"),
    Topic("cong-vu", "Cải cách chế độ công vụ", "cai-cach"),
    Topic("tai-chinh-cong", "Cải cách tài chính công", "cai-cach"),
    Topic("chinh-phu-so", "Xây dựng chính quyền điện tử, chính quyền số", "cai-cach"),
    Topic("dich-vu-cong", "Dịch vụ công trực tuyến", "khac"),
    Topic("chi-so", "Các chỉ số PAR INDEX, SIPAS, PAPI, DDCI, DTI", "khac"),
    Topic("guong-dien-hinh", "Gương điển hình tiên tiến", "khac"),
    Topic("khac", "Nội dung khác", "khac"),
)


def find(topics: tuple[Topic, ...], code: str) -> Topic | None:
    return next((t for t in topics if t.code == code), None)
