"""Every word the officer reads comes from one gettext catalog (broadcast/locale/<lang>/LC_MESSAGES).

Sources are written in English (the msgids); Vietnamese is the default language, English is chosen
with `--lang en`, BROADCAST_LANG=en or `language: en` in station.yaml. The language is a
process-wide choice, like the locale: a front end sets it once at start (`use_language`), and
worker processes are started with it.

The `.po` files live in the repository; the `.mo` files are compiled at install (setup.sh) and,
when missing or older than their `.po`, at first use."""

from __future__ import annotations

import gettext
import io
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "broadcast"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT = "vi"

_chosen: list[str] = []                  # the front end's choice, if any


def language() -> str:
    """The language messages are shown in now."""
    if _chosen:
        return _chosen[-1]
    wanted = os.environ.get("BROADCAST_LANG", "").strip().lower()
    return wanted if wanted in LANGUAGES else DEFAULT


def use_language(lang: str) -> None:
    """Show every message from now on in LANG ('vi' or 'en'); also click's own texts."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _chosen[:] = [lang]
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))       # click asks the process-wide gettext
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(lang: str) -> bytes:
    """The .mo bytes for LANG's .po (Babel), written next to it when the folder is writable."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as source:
        catalog = read_po(source, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    data = buffer.getvalue()
    target = po_path(lang).with_suffix(".mo")
    try:
        temporary = target.with_suffix(f".mo.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        pass                                 # a read-only install: the catalog stays in memory
    return data


@lru_cache(maxsize=None)
def catalog(lang: str) -> gettext.NullTranslations:
    """The translations for LANG; English is the source language."""
    po = po_path(lang)
    if lang == "en" or not po.exists():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.GNUTranslations(io.BytesIO(compile_catalog(lang)))


def _(message: str) -> str:
    """MESSAGE in the current language."""
    return catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return catalog(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks MESSAGE for the catalog; it is translated where it is shown (with `_`)."""
    return message


def known(names) -> str:
    """The hint listing the values a field accepts."""
    return _("known: {names}").format(names=", ".join(str(n) for n in names))


def unknown(value) -> str:
    return _("{value!r} is unknown").format(value=value)


WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))


def weekday(day) -> str:
    """Thứ Hai … Chủ Nhật (Monday … Sunday in English)."""
    return _(WEEKDAYS[day.weekday()])
