"""`broadcast hub user add`: the password asked (or read from stdin), never in argv; the user
signs in to the console; output in Vietnamese."""

from __future__ import annotations

import subprocess
import sys

from broadcast.service import hub_accounts


def test_user_add_through_the_service_layer(hub):
    done = subprocess.run([sys.executable, "-m", "broadcast", "hub", "user", "add", "lan.tinh", "--role", "bien-tap-tinh",
                           "--password-stdin"], input="mat-khau-dai-1\n", capture_output=True, text=True,
                          env={"BROADCAST_HUB_DB": hub.dsn, "BROADCAST_LANG": "vi", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "lan.tinh" in done.stdout and "Biên tập tỉnh" in done.stdout
    [user] = hub_accounts.list_users(hub)
    assert (user.name, user.role) == ("lan.tinh", "bien-tap-tinh") and "mat-khau-dai-1" not in user.password_hash
    import datetime as dt

    assert hub_accounts.authenticate(hub, "lan.tinh", "mat-khau-dai-1", dt.datetime.now(hub.tz)).name == "lan.tinh"
    again = subprocess.run([sys.executable, "-m", "broadcast", "hub", "user", "add", "lan.tinh", "--role", "xem",
                            "--password-stdin"], input="mat-khau-dai-1\n", capture_output=True, text=True,
                           env={"BROADCAST_HUB_DB": hub.dsn, "BROADCAST_LANG": "vi", "PATH": "/usr/bin:/bin"})
    assert again.returncode == 1 and "đã có người dùng" in again.stderr


def test_user_list_and_passwd(hub, users, as_role):
    env = {"BROADCAST_HUB_DB": hub.dsn, "BROADCAST_LANG": "vi", "PATH": "/usr/bin:/bin"}
    listed = subprocess.run([sys.executable, "-m", "broadcast", "hub", "user", "list"], capture_output=True, text=True,
                            env=env)
    assert listed.returncode == 0 and "quantri" in listed.stdout and "Quản trị tỉnh" in listed.stdout
    client, _token = as_role("xem")
    changed = subprocess.run([sys.executable, "-m", "broadcast", "hub", "user", "passwd", "xem", "--password-stdin"],
                             input="mat-khau-moi-2\n", capture_output=True, text=True, env=env)
    assert changed.returncode == 0, changed.stderr
    assert client.get("/xa-phuong", follow_redirects=False).status_code == 303       # signed out everywhere
    import datetime as dt

    assert hub_accounts.authenticate(hub, "xem", "mat-khau-moi-2", dt.datetime.now(hub.tz)).name == "xem"
    missing = subprocess.run([sys.executable, "-m", "broadcast", "hub", "user", "passwd", "ai", "--password-stdin"],
                             input="mat-khau-moi-2\n", capture_output=True, text=True, env=env)
    assert missing.returncode == 1 and "không có người dùng" in missing.stderr
