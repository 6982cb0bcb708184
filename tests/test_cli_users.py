"""`broadcast users`: the password from stdin or asked twice, never on the command line."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from broadcast import service
from broadcast.cli import cli
from broadcast.service.users import UserError

LANGUAGE = "vi"                     # asserts the messages the officer reads

def test_add_list_passwd_remove(station_dir):
    runner = CliRunner()
    root = ["-S", str(station_dir)]
    added = runner.invoke(cli, [*root, "users", "add", "lan", "--role", "editor", "--password-stdin"],
                          input="mat-khau-cua-lan\n")
    assert added.exit_code == 0 and "đã tạo lan (Biên tập viên)" in added.output
    asked = runner.invoke(cli, [*root, "users", "add", "quantri", "--role", "admin"],
                          input="mat-khau-quan-tri\nmat-khau-quan-tri\n")
    assert asked.exit_code == 0 and asked.output.count("Mật khẩu") == 1 and "Nhập lại mật khẩu" in asked.output
    listed = runner.invoke(cli, [*root, "users", "list"])
    assert "lan" in listed.output and "Quản trị" in listed.output
    station = service.station.open_station(station_dir)
    now = dt.datetime.now(station.tz)
    assert service.users.authenticate(station, "lan", "mat-khau-cua-lan", now).role == "editor"
    runner.invoke(cli, [*root, "users", "passwd", "lan", "--password-stdin"], input="mat-khau-moi-cua-lan\n")
    with pytest.raises(UserError):
        service.users.authenticate(station, "lan", "mat-khau-cua-lan", now)
    assert runner.invoke(cli, [*root, "users", "remove", "lan"]).exit_code == 0
    assert [u.name for u in service.users.list_users(station)] == ["quantri"]


def test_short_password_and_bad_name_are_refused(station_dir):
    station = service.station.open_station(station_dir)
    now = dt.datetime.now(station.tz)
    with pytest.raises(UserError, match="quá ngắn"):
        service.users.add_user(station, "lan", "editor", "ngan", now)
    with pytest.raises(UserError, match="không hợp lệ"):
        service.users.add_user(station, "Lan Anh", "editor", "mat-khau-du-dai", now)
