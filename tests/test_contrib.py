"""The systemd units shipped in contrib/ run the station as its own user, not as root (17.13)."""

import configparser
from pathlib import Path

import pytest

CONTRIB = Path(__file__).resolve().parent.parent / "contrib"


@pytest.mark.parametrize("unit", ["broadcast.service", "broadcast-web.service"])
def test_units_run_as_a_dedicated_user_confined_to_the_station(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(CONTRIB / unit, encoding="utf-8")
    service = parser["Service"]
    assert service["User"] == "broadcast" and service.get("ProtectSystem") == "strict"
    assert service["ReadWritePaths"] == service["WorkingDirectory"]
    assert service.get("NoNewPrivileges") == "yes"
