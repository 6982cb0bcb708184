"""33.11: odd dates, years and numbers in query parameters and form fields never give a 500: each
is parsed within a range, and a value out of it is said in Vietnamese."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

ODD = ("0001-01-01", "9999-12-31", "31/12/9999", "01/01/0001", "31/02/2024", "abc", "-1", "99999999999999999999",
       "2024-13-45", "1e9", "")
GETS = (("/nhat-ky", ("tu", "den")), ("/bao-cao", ("nam", "tu", "den", "ky")), ("/lich-phat", ("ngay",)),
        ("/tin-bai", ("hieu-luc",)))


@pytest.fixture
def admin(app, as_role):
    client, token = as_role("admin")
    return TestClient(app, raise_server_exceptions=False, cookies=client.cookies), token


def test_odd_query_parameters_never_give_a_500(admin):
    client, _token = admin
    failures = []
    for path, names in GETS:
        for name in names:
            for value in ODD:
                for extra in ({}, {"tai": "csv"}):
                    answer = client.get(path, params={name: value, **extra})
                    if answer.status_code >= 500:
                        failures.append((path, name, value, extra))
    assert not failures


def test_a_year_out_of_range_is_said_in_vietnamese(admin):
    client, _token = admin
    answer = client.get("/bao-cao", params={"nam": "99999"})
    assert answer.status_code == 400 and "Năm" in answer.text and "2000" in answer.text


def test_odd_dates_in_forms_never_give_a_500(admin):
    client, token = admin
    failures = []
    for value in ODD:
        for path, form in (
                ("/tin-bai/moi", {"title": "Thử", "topic": "khac", "valid_from": value, "valid_until": value,
                                  "priority": "normal", "body": "Nội dung.", "action": "save"}),
                ("/lich-phat/su-kien", {"title": "Sự kiện", "date": value, "start": "07:00", "minutes": "15"}),
                ("/lich-phat/su-kien", {"title": "Sự kiện", "date": "2026-12-01", "start": value, "minutes": value}),
                ("/lich-phat/buoi/sang/luu", {"title": "Sáng", "start": value, "minutes": value, "days": [value]})):
            answer = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
            if answer.status_code >= 500:
                failures.append((path, value, answer.status_code))
    assert not failures
