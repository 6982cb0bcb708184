"""News scripts: Markdown files with YAML front matter become NewsItem records."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

from broadcast import yamlfile
from broadcast.clock import FIRST_DAY, LAST_DAY, in_range
from broadcast.errors import InputError, ScriptErrors
from broadcast.i18n import _, known, unknown
from broadcast.normalize.documents import block_start
from broadcast.station.settings import ENGINE_NAMES as ENGINES
from broadcast.station.topics import DEFAULT_TOPICS, Topic

REQUIRED = ("id", "title", "topic", "valid_from")
OPEN_ENDED = dt.date.max      # no valid_until: valid from valid_from on, without end
OPTIONAL = ("valid_until", "voice", "engine", "priority", "written_by", "review", "approved", "audio", "source", "language", "province")
VIETNAMESE = ("tiếng việt", "việt", "vi", "vi-vn")         # language: values that mean the usual reading
# Ethnic-minority languages a commune may air in (Decree 49/2024/NĐ-CP); any other name is taken as written.
LANGUAGES = ("Mông", "Thái", "Tày", "Nùng", "Dao", "Mường", "Khmer", "Chăm", "Ê Đê", "Gia Rai", "Ba Na", "Xơ Đăng",
             "Cơ Ho", "Hoa")
REVIEW_STATES = ("submitted", "returned")
PRIORITIES = ("normal", "priority", "emergency")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
# One item is at most this long on air: a longer body is a pasted document or a wrong file, and
# voicing it would hold a render for many minutes. Checked on the text, before any speech.
MAX_ITEM_MINUTES = 60            # longer than any slot; bounds the work a pasted document can cause
SYLLABLES_PER_SECOND = 3.6      # a Vietnamese reading voice, pauses included (speech engines: 3.2-4.1)
CHARS_PER_SYLLABLE = 6          # for text without spaces: at least one syllable per this many characters


@dataclass(frozen=True)
class NewsItem:
    id: str
    title: str
    topic: str
    valid_from: dt.date
    valid_until: dt.date
    paragraphs: tuple[str, ...]
    path: Path
    body_line: int
    voice: str | None = None
    engine: str | None = None
    priority: str = "normal"
    written_by: str | None = None    # who saved it last (console user)
    review: Review | None = None     # sent for approval, or returned with a comment
    approved: Approval | None = None
    audio: str | None = None         # a recording aired instead of reading the text (path in the station folder)
    source: Source | None = None     # imported from a document: where from, and what is left to look at
    language: str | None = None      # an ethnic-minority language: aired from a recording only, never voiced
    province: str | None = None      # the province bulletin it came from: placed by the queue or by name, never by a rule

    @property
    def airable(self) -> bool:
        """Not held back: an imported item airs only once the officer has read it, marked lines included."""
        return self.source is None or self.source.ready

    @property
    def needs_recording(self) -> bool:
        """In a language no voice reads, and no recording yet: it cannot air."""
        return self.language is not None and self.audio is None

    def recording_error(self) -> InputError:
        """The located error of an item that NEEDS_RECORDING."""
        line = next((n for n, text in enumerate(self.path.read_text("utf-8-sig").splitlines()[:self.body_line], 1)
                     if text.startswith("language:")), 1) if self.path.is_file() else 1
        return InputError(self.path, line, "language",
                          _("an item in {language} airs only from a recording, and it has none").format(language=self.language),
                          _("record it on the item's page (Thu âm) or upload the audio; no voice reads {language}")
                          .format(language=self.language))

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def audio_path(self) -> Path | None:
        """The recording's file: scripts live in the station's scripts/ folder."""
        return None if self.audio is None else self.path.parent.parent / self.audio

    @functools.cached_property
    def _audio_identity(self) -> tuple[str, ...]:
        if self.audio_path is None:
            return ()
        try:
            st = self.audio_path.stat()
        except OSError:
            return (self.audio, "missing")
        return (self.audio, str(st.st_size), str(st.st_mtime_ns))       # a new recording is a new item

    @functools.cached_property
    def content_hash(self) -> str:
        text = "\x1f".join((self.title, *self.paragraphs, *self._audio_identity))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @functools.cached_property
    def approval_hash(self) -> str:
        """What an approver approves: the text (or recording) and when and how it airs."""
        text = "\x1f".join((self.title, self.topic, self.valid_from.isoformat(), self.valid_until.isoformat(),
                            self.priority, *self.paragraphs, *self._audio_identity,
                            *((self.language,) if self.language else ())))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def is_approved(self) -> bool:
        """Approved, and not changed since (an edit sends it back for approval)."""
        return self.approved is not None and self.approved.hash == self.approval_hash

    @property
    def status(self) -> str:
        """draft (Nháp), pending (Chờ duyệt) or approved (Đã duyệt)."""
        if self.is_approved:
            return "approved"
        if self.approved is not None or (self.review is not None and self.review.state == "submitted"):
            return "pending"
        return "draft"

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class Review:
    state: str                       # submitted | returned
    by: str
    at: str                          # ISO time
    comment: str | None = None


@dataclass(frozen=True)
class Source:
    """Where an imported item came from (a document and its pages), and whether the officer has
    read the proposal and each paragraph whose diacritics looked lost (to_check, 1-based)."""

    file: str
    pages: tuple[int, ...] = ()
    scanned: bool = False
    to_check: tuple[int, ...] = ()
    reviewed: bool = False

    @property
    def ready(self) -> bool:
        return self.reviewed and not self.to_check


@dataclass(frozen=True)
class Approval:
    by: str
    at: str                          # ISO time
    hash: str                        # NewsItem.approval_hash of the version approved


def _split(text: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise InputError(path, 1, None, _("no front matter"),
                         _("start the file with a line '---', the fields, then another '---'"))
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return "\n".join(lines[1:number - 1]), "\n".join(lines[number:]), number + 1
    raise InputError(path, 1, None, _("front matter is not closed"), _("add a line '---' after the fields"))


def _paragraphs(body: str) -> tuple[str, ...]:
    """The paragraphs read on air: a document's signature and recipient block (Nơi nhận, KT. CHỦ
    TỊCH), copied with the plan, is left out (the lint says so)."""
    lines = body.splitlines()
    block = block_start(lines)
    blocks = re.split(r"\n\s*\n", "\n".join(lines[:block]).strip())
    return tuple(" ".join(line.strip() for line in b.splitlines() if line.strip()) for b in blocks if b.strip())


def _date(value, located: yamlfile.Located, key: str) -> dt.date:
    day = _day(value)
    if day is not None and not in_range(day):
        raise located.error((key,), _("{day} is out of range").format(day=f"{day:%d/%m/%Y}"),
                            _("pick a date from {first} to {last}").format(first=f"{FIRST_DAY:%d/%m/%Y}",
                                                                         last=f"{LAST_DAY:%d/%m/%Y}"))
    if day is not None:
        return day
    raise located.error((key,), _("not a date: {value!r}").format(value=value), _("write it as 18/03/2024 (or 2024-03-18)"))


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                pass
    return None


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, line, None, _("not UTF-8 text (byte 0x{byte:02x})").format(byte=raw[exc.start]),
                         _("save the file as UTF-8 (Unicode); in Notepad choose 'UTF-8' when saving")) from exc


def parse_script(path: Path, topics: tuple[Topic, ...] = DEFAULT_TOPICS) -> NewsItem:
    """Read and validate one script; raise ScriptErrors listing every problem in it. A file
    unchanged since it was last read (same inode, time and size) is not parsed again."""
    st = os.stat(path)
    return _parse_file(str(path), st.st_ino, st.st_mtime_ns, st.st_size, topics)


@functools.lru_cache(maxsize=4096)
def _parse_file(path: str, inode: int, mtime_ns: int, size: int, topics: tuple[Topic, ...]) -> NewsItem:
    return parse_text(_decode(Path(path).read_bytes(), Path(path)), Path(path), topics)


def parse_text(text: str, path: Path, topics: tuple[Topic, ...] = DEFAULT_TOPICS) -> NewsItem:
    """Validate the text of a script that is (or will be) at PATH."""
    front, body, body_line = _split(text, path)
    located = yamlfile.parse(front, path, line_offset=1)
    data = located.data
    if not isinstance(data, dict):
        raise InputError(path, 2, None, _("front matter must be 'field: value' lines"))
    problems: list[InputError] = []
    wrong: set[str] = set()
    for key in ("id", "title", "topic", "voice", "engine", "priority", "audio", "language", "province"):   # read aloud or names:
        value = data.get(key)                                                      # text, never a list or a number
        if value is not None and (isinstance(value, (list, dict, bool)) or
                                  (key != "id" and isinstance(value, (int, float)))):
            problems.append(located.error((key,), _("expected text, got {value!r}").format(value=value),
                                          _("put the value in quotes")))
            data = {**data, key: None}
            wrong.add(key)
    for key in REQUIRED:
        if data.get(key) in (None, "") and key not in wrong:
            problems.append(InputError(path, 1, key, _("missing field"),
                                       _("add a line '{key}: …' to the front matter").format(key=key)))
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            problems.append(located.error((key,), _("unknown field"), known(REQUIRED + OPTIONAL)))
    item_id = str(data.get("id", "") or "")
    if item_id and not ID_PATTERN.match(item_id):
        problems.append(located.error(("id",), _("{value!r} cannot be a file name").format(value=item_id),
                                      _("use lowercase letters without accents, digits and '-', e.g. dvc-truc-tuyen-2024")))
    topic = str(data.get("topic", "") or "")
    if topic and topic not in {t.code for t in topics}:
        problems.append(located.error(("topic",), unknown(topic), known(t.code for t in topics)))
    dates = {}
    for key in ("valid_from", "valid_until"):
        if data.get(key) not in (None, ""):
            try:
                dates[key] = _date(data[key], located, key)
            except InputError as exc:
                problems.append(exc)
    if len(dates) == 2 and dates["valid_until"] < dates["valid_from"]:
        problems.append(located.error(("valid_until",), _("{until} is before valid_from {since}").format(
            until=f"{dates['valid_until']:%d/%m/%Y}", since=f"{dates['valid_from']:%d/%m/%Y}"), _("swap the two dates")))
    priority = str(data.get("priority", "normal"))
    if priority not in PRIORITIES:
        problems.append(located.error(("priority",), unknown(priority), known(PRIORITIES)))
    engine = data.get("engine")
    if engine is not None and engine not in ENGINES:
        problems.append(located.error(("engine",), unknown(engine), known(ENGINES)))
    review = _record(Review, data, "review", located, problems)
    approved = _record(Approval, data, "approved", located, problems)
    if review is not None and review.state not in REVIEW_STATES:
        problems.append(located.error(("review", "state"), unknown(review.state), known(REVIEW_STATES)))
    source = _source(data, located, problems)
    paragraphs = _paragraphs(body)
    audio = str(data["audio"]).strip() if data.get("audio") else None
    if audio is not None and not (path.parent.parent / audio).is_file():
        problems.append(located.error(("audio",), _("recording {path} not found").format(path=audio),
                                      _("choose a recording of the Thư viện âm thanh page")))
    minutes = spoken_minutes(paragraphs)
    if minutes > MAX_ITEM_MINUTES:
        problems.append(InputError(path, body_line, _("body"), _(
            "too long for one item: {chars} characters would take about {minutes} minutes to read on air (at most "
            "{cap} minutes)").format(chars=sum(map(len, paragraphs)), minutes=round(minutes), cap=MAX_ITEM_MINUTES),
            _("split it into several items, or air a summary")))
    language = str(data["language"]).strip() if data.get("language") else None
    if language is not None and language.casefold() in VIETNAMESE:
        language = None
    if not paragraphs and audio is None:
        problems.append(InputError(path, body_line, _("body"), _("empty: nothing to read on air"),
                                   _("write the news text after the closing '---'")))
    if problems:
        raise ScriptErrors(problems)
    return NewsItem(
        id=item_id, title=str(data["title"]).strip(), topic=topic,
        valid_from=dates["valid_from"], valid_until=dates.get("valid_until", OPEN_ENDED),
        paragraphs=paragraphs, path=path, body_line=body_line,
        voice=data.get("voice"), engine=engine, priority=priority,
        written_by=str(data["written_by"]) if data.get("written_by") else None, review=review, approved=approved,
        audio=audio, source=source, language=language,
        province=str(data["province"]) if data.get("province") else None,
    )


def _source(data: dict, located: yamlfile.Located, problems: list[InputError]) -> Source | None:
    """source: {file, pages, scanned, to_check, reviewed}, written by an import."""
    raw = data.get("source")
    if raw is None:
        return None
    numbers = lambda v: isinstance(v, list) and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in v)
    if (not isinstance(raw, dict) or set(raw) - {"file", "pages", "scanned", "to_check", "reviewed"}
            or not isinstance(raw.get("file"), str) or not numbers(raw.get("pages", []))
            or not numbers(raw.get("to_check", [])) or not isinstance(raw.get("scanned", False), bool)
            or not isinstance(raw.get("reviewed", False), bool)):
        problems.append(located.error(("source",), _("expected file, pages, scanned, to_check, reviewed"),
                                      _("this field is written by an import; remove it to start again")))
        return None
    return Source(raw["file"], tuple(raw.get("pages", [])), raw.get("scanned", False),
                  tuple(raw.get("to_check", [])), raw.get("reviewed", False))


def spoken_minutes(paragraphs) -> float:
    """About how long the text takes to read aloud (each word is a syllable in Vietnamese)."""
    syllables = sum(max(len(p.split()), len(p) // CHARS_PER_SYLLABLE) for p in paragraphs)
    return syllables / SYLLABLES_PER_SECOND / 60


def _record(cls, data: dict, key: str, located: yamlfile.Located, problems: list[InputError]):
    """A front-matter mapping (review:, approved:) as CLS, or None; a wrong one is a problem."""
    raw = data.get(key)
    if raw is None:
        return None
    names = [f.name for f in fields(cls)]
    required = [f.name for f in fields(cls) if f.default is MISSING]
    if not isinstance(raw, dict) or set(raw) - set(names) or any(raw.get(n) in (None, "") for n in required):
        problems.append(located.error((key,), _("expected {names}").format(names=", ".join(required)),
                                      _("this field is written by the console; remove it to start again")))
        return None
    return cls(**{k: str(v) for k, v in raw.items()})


def script_paths(paths: list[Path]) -> list[Path]:
    """Expand folders to their *.md files, sorted; keep files as given."""
    found: list[Path] = []
    for p in map(Path, paths):
        found.extend(sorted(p.glob("*.md"), key=os.fspath) if p.is_dir() else [p])
    return found


@dataclass
class CheckResult:
    items: list[NewsItem]
    problems: list[InputError]
    warnings: list[InputError]


def check_scripts(paths: list[Path], topics: tuple[Topic, ...] = DEFAULT_TOPICS,
                  warn=None) -> CheckResult:
    """Validate every script; collect problems (including duplicate ids) instead of stopping.

    `warn(item)` may return InputErrors that are only warnings (e.g. lost diacritics).
    """
    items: list[NewsItem] = []
    problems: list[InputError] = []
    warnings: list[InputError] = []
    seen: dict[str, NewsItem] = {}
    for path in script_paths(paths):
        try:
            item = parse_script(path, topics)
        except ScriptErrors as exc:
            problems.extend(exc.problems)
            continue
        except InputError as exc:
            problems.append(exc)
            continue
        except OSError as exc:
            problems.append(InputError(path, None, None, _("cannot read: {reason}").format(reason=exc.strerror)))
            continue
        if item.id in seen:
            problems.append(InputError(path, 2, "id", _("duplicate id {value!r}, also in {path}").format(value=item.id, path=seen[item.id].path),
                                       _("give each script its own id")))
            continue
        seen[item.id] = item
        items.append(item)
        if warn is not None:
            warnings.extend(warn(item))
    return CheckResult(items, problems, warnings)


def load_scripts(paths: list[Path], topics: tuple[Topic, ...] = DEFAULT_TOPICS) -> list[NewsItem]:
    """Load scripts for rendering; any problem stops with every problem listed."""
    result = check_scripts(paths, topics)
    if result.problems:
        raise ScriptErrors(result.problems)
    return result.items
