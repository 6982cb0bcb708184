"""The station's readings ("Cách đọc"): lexicon.yaml entries, listed, added and removed with a
preview of a sentence. Edits touch only the entry's own line, so the officer's comments and
order stay as written; the file is checked before it replaces the old one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from broadcast.errors import InputError
from broadcast.files import atomic_path
from broadcast.i18n import _, known
from broadcast.normalize import Normalizer
from broadcast.normalize.lexicon import Lexicon, builtin, from_text
from broadcast.service.reading import Reading, preview_reading
from broadcast.service.users import log_action
from broadcast.station.settings import Station

SECTIONS = ("words", "document_types")
HEADER = "# Từ điển đọc của đài: viết: cách đọc. Ghi đè từ điển có sẵn.\n"


@dataclass(frozen=True)
class Entry:
    section: str                     # words | document_types
    written: str
    spoken: str
    station: bool                    # the station's own (else built in)


@dataclass(frozen=True)
class LexiconChange:
    entry: Entry
    before: Reading                  # the sample sentence read without the change
    after: Reading                   # and with it


def lexicon_file(station: Station) -> Path:
    return station.path(station.lexicon) or station.root / "lexicon.yaml"


def entries(station: Station) -> list[Entry]:
    own = _load(station)
    base = builtin()
    found = [Entry(s, k, v, True) for s in SECTIONS for k, v in getattr(own, s).items()]
    found += [Entry(s, k, v, False) for s in SECTIONS for k, v in getattr(base, s).items()
              if k not in getattr(own, s)]
    return found


def _load(station: Station) -> Lexicon:
    path = lexicon_file(station)
    return from_text(path.read_text("utf-8"), path) if path.exists() else Lexicon({}, {})


def _entry_line(written: str, spoken: str) -> str:
    return "  " + yaml.safe_dump({written: spoken}, allow_unicode=True, default_flow_style=False, width=1000).strip()


def _key_of(line: str) -> str | None:
    if not line.startswith((" ", "\t")) or line.strip().startswith("#") or ":" not in line:
        return None
    try:
        parsed = yaml.safe_load(line.strip())
    except yaml.YAMLError:
        return None
    return str(next(iter(parsed))) if isinstance(parsed, dict) and len(parsed) == 1 else None


def _edit(text: str, section: str, written: str, spoken: str | None) -> str:
    """TEXT with WRITTEN set to SPOKEN in SECTION (None: removed), other lines untouched."""
    lines = text.splitlines()
    head = next((i for i, line in enumerate(lines) if re.match(rf"{section}\s*:", line)), None)
    if head is None:
        lines += [f"{section}:"]
        head = len(lines) - 1
    flow = yaml.safe_load(lines[head].split(":", 1)[1]) if lines[head].split(":", 1)[1].strip() else None
    if isinstance(flow, dict):                      # `words: {a: b}` becomes one line per entry
        lines[head:head + 1] = [f"{section}:"] + [_entry_line(str(k), str(v)) for k, v in flow.items()]
    end = head + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "\t", "#"))):
        end += 1
    body_end = max((i + 1 for i in range(head + 1, end) if lines[i].strip()), default=head + 1)
    at = next((i for i in range(head + 1, end) if _key_of(lines[i]) == written), None)
    if spoken is None:
        if at is not None:
            del lines[at]
    elif at is not None:
        lines[at] = _entry_line(written, spoken)
    else:
        lines.insert(body_end, _entry_line(written, spoken))
    return "\n".join(lines) + "\n"


def _write(station: Station, section: str, written: str, spoken: str | None) -> tuple[Lexicon, Lexicon]:
    if section not in SECTIONS:
        raise InputError("lexicon.yaml", None, section, _("no such section"), known(SECTIONS))
    path = lexicon_file(station)
    old_text = path.read_text("utf-8") if path.exists() else HEADER
    old = from_text(old_text, path)
    new_text = _edit(old_text, section, written, spoken)
    new = from_text(new_text, path)
    with atomic_path(path) as tmp:
        tmp.write_text(new_text, "utf-8")
    return old, new


def _check(written: str, spoken: str | None) -> tuple[str, str | None]:
    written = written.strip()
    if not written or "\n" in written:
        raise InputError("lexicon.yaml", None, _("written"), _("needs a word or an abbreviation"), _("e.g. VHTT"))
    if spoken is not None and not spoken.strip():
        raise InputError("lexicon.yaml", None, written, _("no reading given"), _("e.g. văn hóa thông tin"))
    return written, spoken.strip() if spoken is not None else None


def _change(station: Station, section: str, written: str, spoken: str | None, sample: str | None,
            by: str | None, now: dt.datetime | None) -> LexiconChange:
    """Write the change; approved items it makes read differently go back for approval (33.1)."""
    from broadcast.service.approval import reading_changed

    written, spoken = _check(written, spoken)
    old, new = _write(station, section, written, spoken)
    base = builtin()
    before, after = Normalizer(base.merged(old)), Normalizer(base.merged(new))
    comment = (_("the station's reading of “{written}” changed to “{spoken}”: approve again to air it so")
               .format(written=written, spoken=spoken) if spoken is not None else
               _("the station's reading of “{written}” was removed: approve again to air it so").format(written=written))
    reading_changed(station, before, after, comment, by, now or dt.datetime.now(station.tz))
    sentence = sample or written
    return LexiconChange(Entry(section, written, spoken or "", True),
                         preview_reading(station, sentence, before), preview_reading(station, sentence, after))


def add_entry(station: Station, written: str, spoken: str, section: str = "words",
              sample: str | None = None, by: str | None = None, now: dt.datetime | None = None) -> LexiconChange:
    """Read WRITTEN as SPOKEN from now on; SAMPLE is a sentence to hear it in. Audited with BY."""
    change = _change(station, section, written, spoken, sample, by, now)
    log_action(station, now or dt.datetime.now(station.tz), by, "lexicon.add", change.entry.written, change.entry.spoken)
    return change


def remove_entry(station: Station, written: str, section: str = "words", sample: str | None = None,
                 by: str | None = None, now: dt.datetime | None = None) -> LexiconChange:
    if written.strip() not in getattr(_load(station), section, {}):
        raise InputError(lexicon_file(station), None, written, _("not in the station's lexicon"),
                         _("see the list on the Cách đọc page"))
    change = _change(station, section, written, None, sample, by, now)
    log_action(station, now or dt.datetime.now(station.tz), by, "lexicon.remove", change.entry.written)
    return change


def try_entry(station: Station, written: str, spoken: str, sample: str, section: str = "words") -> Reading:
    """SAMPLE read as if WRITTEN → SPOKEN were added (nothing is saved): the live preview."""
    written, spoken = _check(written, spoken)
    own = _load(station)
    trial = Lexicon({**own.words}, {**own.document_types})
    getattr(trial, section)[written] = spoken
    return preview_reading(station, sample, Normalizer(builtin().merged(trial)))
