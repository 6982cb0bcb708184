"""link.yaml: mode 600 from its first byte, atomic, refused when others may read it; https only
(plain http only to this machine); the token never in a repr."""

import os
import stat

import pytest

from broadcast.errors import BroadcastError, InputError
from broadcast.link.config import Link, check_url, forget_link, link_path, read_link, write_link


def test_written_mode_600_and_read_back(tmp_path):
    link = Link("https://hub.example.gov.vn", "xa-a", "SECRET-TOKEN-123", "Sở VHTTDL")
    path = write_link(tmp_path, link)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_link(tmp_path) == link
    assert "SECRET" not in repr(link)
    assert [p.name for p in tmp_path.iterdir()] == ["link.yaml"]          # no temporary left
    assert forget_link(tmp_path) and read_link(tmp_path) is None and not forget_link(tmp_path)


def test_a_file_others_may_read_is_refused(tmp_path):
    write_link(tmp_path, Link("https://h.vn", "xa-a", "T", "H"))
    os.chmod(link_path(tmp_path), 0o644)
    with pytest.raises(InputError, match="chmod 600"):
        read_link(tmp_path)


def test_a_damaged_file_says_to_link_again(tmp_path):
    link_path(tmp_path).write_text("url: [", encoding="utf-8")
    os.chmod(link_path(tmp_path), 0o600)
    with pytest.raises(InputError, match="link the station again"):
        read_link(tmp_path)


@pytest.mark.parametrize("url", ["https://hub.example.gov.vn/", "http://127.0.0.1:8080", "http://localhost:1"])
def test_urls_accepted(url):
    assert check_url(url) == url.rstrip("/")


@pytest.mark.parametrize("url, why", [("http://hub.example.gov.vn", "https"), ("ftp://x", "web address"),
                                      ("hub.example.gov.vn", "web address"), ("https://h.vn/?a=1", "web address")])
def test_urls_refused(url, why):
    with pytest.raises(BroadcastError, match=why):
        check_url(url)
