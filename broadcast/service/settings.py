"""Cài đặt: the station's own details (name, the People's Committee, the report's place, number,
signer and recipients) changed from the console, written into station.yaml with its comments kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadcast.errors import InputError
from broadcast.i18n import _
from broadcast.service import conflicts
from broadcast.service.users import log_action
from broadcast.station.settings import ENGINE_NAMES, STATION_FILE, Station, edit_station, load_station

__all__ = ["ENGINE_NAMES", "StationInfo", "info_text", "info_version", "station_info", "update_station_info"]


@dataclass(frozen=True)
class StationInfo:
    name: str                        # Đài truyền thanh xã Minh Đức
    organisation: str                # ỦY BAN NHÂN DÂN XÃ MINH ĐỨC
    place: str                       # địa danh of the report's date line
    number: str                      # số và ký hiệu, …/BC-UBND
    signer: str
    signer_title: str                # CHỦ TỊCH, or KT. CHỦ TỊCH / PHÓ CHỦ TỊCH
    on_behalf: str                   # TM. ỦY BAN NHÂN DÂN
    recipients: tuple[str, ...]      # Nơi nhận


def station_info(station: Station) -> StationInfo:
    r = station.report
    return StationInfo(station.name, station.organisation, r.place, r.number, r.signer, r.signer_title,
                       r.on_behalf, r.recipients)


def info_text(info: StationInfo) -> str:
    """The station's details as the officer reads them, one per line (its version is this text's)."""
    labels = (_("Station name"), _("People's Committee (as on the seal)"), _("Place in the date line"),
              _("Number and symbol"), _("Signer"), _("Signer's title"), _("Signing on behalf of"))
    values = (info.name, info.organisation, info.place, info.number, info.signer, info.signer_title, info.on_behalf)
    return conflicts.lines_of(list(zip(labels, values))
                              + [(_("Recipients (Nơi nhận), one per line"), "; ".join(info.recipients))])


def info_version(station: Station) -> str:
    """The version the station form is based on (see conflicts)."""
    return conflicts.version_of(info_text(station_info(station)))


def update_station_info(station: Station, info: StationInfo, by: str | None, now: dt.datetime,
                        based_on: str | None = None) -> Station:
    """Write INFO into station.yaml (checked first; comments and other settings kept); returns the
    station as it now reads. BASED_ON: the info_version the form showed; an older one raises
    conflicts.StaleEdit."""
    with conflicts.editing(station):
        fresh = load_station(station.root)         # what is in the file now, not what this process read
        conflicts.check(fresh, based_on, info_text(station_info(fresh)), "settings.station", STATION_FILE,
                        path=station.root / STATION_FILE)
        return _update_station_info(fresh, info, by, now)


def _update_station_info(station: Station, info: StationInfo, by: str | None, now: dt.datetime) -> Station:
    for field, value in (("name", info.name), ("organisation", info.organisation)):
        if not value.strip():
            raise InputError(STATION_FILE, None, field, _("cannot be empty"), _("write it as on the commune's seal"))
    if not info.recipients:
        raise InputError(STATION_FILE, None, "report.recipients", _("name at least one recipient"),
                         _("one per line, e.g. Sở Văn hóa, Thể thao và Du lịch tỉnh"))
    wanted, current = _values(info), _values(station_info(station))
    updated = edit_station(station, {keys: v for keys, v in wanted.items() if current[keys] != v})   # the rest as written
    log_action(station, now, by, "settings.station", STATION_FILE, info.name)
    return updated


def _values(info: StationInfo) -> dict[tuple, object]:
    """INFO by its key paths in station.yaml."""
    return {("name",): info.name.strip(), ("organisation",): info.organisation.strip(),
            ("report", "place"): info.place.strip(), ("report", "number"): info.number.strip(),
            ("report", "signer"): info.signer.strip(), ("report", "signer_title"): info.signer_title.strip(),
            ("report", "on_behalf"): info.on_behalf.strip(),
            ("report", "recipients"): [r.strip() for r in info.recipients if r.strip()]}
