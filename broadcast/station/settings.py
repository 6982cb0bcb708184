"""Station settings from station.yaml: loaded once, passed in, never global."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from broadcast import i18n, yamlfile
from broadcast.errors import InputError
from broadcast.i18n import LANGUAGES, _
from broadcast.station.relays import RelaySource, parse_relays
from broadcast.station.topics import DEFAULT_TOPICS, Topic

STATION_FILE = "station.yaml"
ENGINE_NAMES = ("fpt", "viettel", "google", "piper", "korvatts", "gtts", "espeak")   # engines this build can run
ONLINE_VOICES = {   # each online service's voices, from its published reference (see broadcast/speech/)
    "fpt": ("banmai", "lannhi", "leminh", "myan", "thuminh", "giahuy", "linhsan"),
    "viettel": ("doanngocle", "trinhthiviettrinh", "phamtienquan", "lethiyen", "nguyenthithuyduyen", "hn-quynhanh",
                "hue-maingoc", "hue-baoquoc", "hcm-minhquan"),
    "google": ("vi-VN-Neural2-A", "vi-VN-Neural2-D", "vi-VN-Wavenet-A", "vi-VN-Wavenet-B", "vi-VN-Wavenet-C",
               "vi-VN-Wavenet-D", "vi-VN-Standard-A", "vi-VN-Standard-B", "vi-VN-Standard-C", "vi-VN-Standard-D"),
}
# espeak-ng's Vietnamese: north (vi+f2: its female variant, the best understood: README, "The offline
# floor"), central, south
ESPEAK_VOICES = ("vi", "vi+f2", "vi-VN-x-central", "vi-VN-x-south")


@dataclass(frozen=True)
class SpeechSettings:
    engines: tuple[str, ...] = ("espeak",)   # fallback chain, first available wins
    voice: str = "vi+f2"                     # espeak voice: vi, vi+f2, vi-VN-x-central, vi-VN-x-south
    rate: int = 150                          # words per minute (espeak)
    pitch: int = 50                          # 0-100 (espeak)
    gtts_tld: str = "com.vn"
    gtts_timeout: float = 10.0               # read timeout per request, seconds
    gtts_connect_timeout: float = 0.8        # TCP connect and DNS; beyond it the network counts as down
    gtts_retries: int = 3
    gtts_budget: float = 30.0                # seconds one text may take, retries included
    gtts_endpoint: str | None = None         # a mirror or proxy of translate.google (default: Google)
    piper_voice: str | None = None           # path to a station-supplied .onnx voice
    korvatts_voice: str | None = None        # folder of an installed korvatts model (voices/korvatts-…)
    korvatts_speaker: str | None = None      # one of its voice_styles (default: the first)
    fpt_voice: str = "banmai"                # FPT.AI: banmai, lannhi, leminh, myan, thuminh, giahuy, linhsan
    fpt_speed: int = 0                       # -3 (slowest) … 0 … +3 (fastest)
    viettel_voice: str = "hn-quynhanh"
    viettel_speed: float = 1.0               # 0.7 … 1.3
    google_voice: str = "vi-VN-Neural2-A"
    google_speed: float = 1.0                # speakingRate 0.25 … 4.0
    online_timeout: float = 15.0             # read timeout per request to an online voice service, seconds
    online_budget: float = 180.0             # seconds one text may take there (FPT.AI's audio: up to 2 min)
    fpt_endpoint: str | None = None          # another address for the service (tests; a proxy)
    viettel_endpoint: str | None = None
    google_endpoint: str | None = None


@dataclass(frozen=True)
class MixSettings:
    sample_rate: int = 22050
    gap: float = 1.2                 # seconds between items
    paragraph_pause: float = 0.7     # seconds between paragraphs of one item
    title_pause: float = 0.8         # after a spoken title
    speak_titles: bool = True
    intro: str | None = "audio/jingles/intro.wav"
    outro: str | None = "audio/jingles/outro.wav"
    separator: str | None = "audio/jingles/separator.wav"
    bed: str | None = None           # music bed under speech
    bed_level: float = -20.0         # dB relative to full scale of the bed file, between speech
    duck: float = 15.0               # dB the bed drops while speech plays (>= 12)
    target_lufs: float = -16.0
    true_peak: float = -1.0          # dBTP ceiling


@dataclass(frozen=True)
class OutputSettings:
    format: str = "wav"              # wav | flac | mp3
    mp3_bitrate: str = "64k"


@dataclass(frozen=True)
class PlayoutSettings:
    grace: float = 600.0             # seconds after a slot's start it may still air (restart, late render)
    restart: str = "from-start"      # from-start | resume: a program cut by a restart airs again ...
    after_emergency: str = "resume"  # resume | requeue: what happens to a program an emergency cut
    render_ahead: float = 24.0       # hours of programs rendered before they are due
    render_timeout: float = 120.0    # seconds a missing program may take to render at airtime
    standby: str | None = "audio/jingles/bed.wav"   # plays when a program's audio is unusable
    catch_up_days: int = 7           # how far back a restart looks for occurrences to log as missed
    pulse_server: str | None = None  # PulseAudio server (default: the session's)
    pulse_client: str = "auto"       # auto (pacat if installed, else ffmpeg) | pacat | ffmpeg
    icecast_password_file: str | None = None          # file holding the mount's source password
    icecast_password_env: str = "BROADCAST_ICECAST_PASSWORD"   # else this environment variable
    icecast_bitrate: str = "64k"
    icecast_keepalive: str = "silence"                # silence | standby: what the mount carries between programs
    keep_aired_days: int = 90        # aired program audio kept for "Nghe lại" (listen back), then pruned
    retry_preferred_until: float = 2.0   # hours before airtime a program voiced by a fallback engine
                                         # stops being retried with the preferred one


@dataclass(frozen=True)
class ReportSettings:
    place: str = "Minh Đức"                          # địa danh in "Minh Đức, ngày … tháng … năm …"
    number: str = "…/BC-UBND"                        # số và ký hiệu, e.g. 45/BC-UBND
    signer: str = ""                                 # full name of the signer
    signer_title: str = "CHỦ TỊCH"                   # e.g. CHỦ TỊCH, or KT. CHỦ TỊCH / PHÓ CHỦ TỊCH
    on_behalf: str = "TM. ỦY BAN NHÂN DÂN"           # thẩm quyền ký
    recipients: tuple[str, ...] = ("Sở Văn hóa, Thể thao và Du lịch tỉnh", "Sở Nội vụ tỉnh",   # no districts
                                   "Thường trực Đảng ủy, HĐND xã", "Lưu: VT")              # since 1/7/2025


@dataclass(frozen=True)
class ApprovalSettings:
    required: bool = False           # only items a leader approved air; off by default so an upgraded
                                     # station keeps airing (the sample station turns it on)
    self_approval: bool = False      # an approver may approve what they wrote themselves


@dataclass(frozen=True)
class ConsoleSettings:
    session_hours: float = 12.0      # a sign-in lasts this long without use
    upload_mb: float = 50.0          # largest audio file the console takes
    record_minutes: float = 20.0     # longest reading recorded (Thu âm) for one item
    secure_cookies: bool = False     # set true when the console is served over HTTPS
    public_url: str | None = None    # the public pages' address in the podcast feed, e.g. https://minhduc.gov.vn
                                     # (never the request's Host header); unset: this console's own address


@dataclass(frozen=True)
class Station:
    root: Path
    name: str = "Đài truyền thanh xã"
    organisation: str = "ỦY BAN NHÂN DÂN XÃ"
    timezone: str = "Asia/Ho_Chi_Minh"
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    mix: MixSettings = field(default_factory=MixSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    playout: PlayoutSettings = field(default_factory=PlayoutSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    approval: ApprovalSettings = field(default_factory=ApprovalSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    topics: tuple[Topic, ...] = DEFAULT_TOPICS
    lexicon: str | None = "lexicon.yaml"
    language: str = "vi"                 # of every message: vi (default) or en
    relays: tuple[RelaySource, ...] = ()  # streams a slot may relay by name (tiếp sóng)

    def relay_sources(self) -> dict[str, RelaySource]:
        return {r.id: r for r in self.relays}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def uploads_dir(self) -> Path:
        """Audio the officer uploaded (checked, under generated names)."""
        return self.root / "audio" / "tai-len"

    @property
    def emergency_dir(self) -> Path:
        """Typed emergency texts, read aloud."""
        return self.root / "audio" / "khan-cap"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def scripts_dir(self) -> Path:
        return self.root / "scripts"

    @property
    def schedules_dir(self) -> Path:
        return self.root / "schedules"

    @property
    def db_path(self) -> Path:
        return self.root / "station.db"

    def sound_settings(self) -> dict:
        """Every setting that changes how a program sounds (for cache keys); not timeouts."""
        s = self.speech
        found = {"engines": list(s.engines), "voice": s.voice, "rate": s.rate, "pitch": s.pitch,
                 "piper_voice": s.piper_voice, "gtts_tld": s.gtts_tld, "mix": asdict(self.mix)}
        voices = {"korvatts": [s.korvatts_voice, s.korvatts_speaker], "fpt": [s.fpt_voice, s.fpt_speed],
                  "viettel": [s.viettel_voice, s.viettel_speed], "google": [s.google_voice, s.google_speed]}
        # only the engines in the chain: a station that uses none of them keeps its cache
        return found | {name: value for name, value in voices.items() if name in s.engines}

    def path(self, relative: str | None) -> Path | None:
        return None if relative is None else (self.root / relative)

    def lexicon_path(self) -> Path | None:
        found = self.path(self.lexicon)
        return found if found is not None and found.exists() else None


# The sensible range of each number (a value outside is a typo, and some would hang or silence the
# station: a rate of 0, a negative gap, an infinite length).
RANGES = {
    ("speech", "rate"): (50, 400), ("speech", "pitch"): (0, 100), ("speech", "gtts_timeout"): (0.5, 120),
    ("speech", "gtts_connect_timeout"): (0.1, 30), ("speech", "gtts_retries"): (0, 10),
    ("speech", "gtts_budget"): (1, 600), ("speech", "fpt_speed"): (-3, 3), ("speech", "viettel_speed"): (0.7, 1.3),
    ("speech", "google_speed"): (0.25, 4.0), ("speech", "online_timeout"): (1, 120), ("speech", "online_budget"): (5, 900), ("mix", "sample_rate"): (8000, 48000), ("mix", "gap"): (0, 10),
    ("mix", "paragraph_pause"): (0, 10), ("mix", "title_pause"): (0, 10), ("mix", "bed_level"): (-60, 0),
    ("mix", "duck"): (0, 60), ("mix", "target_lufs"): (-40, -5), ("mix", "true_peak"): (-20, 3),
    ("playout", "grace"): (0, 3600), ("playout", "render_ahead"): (0, 168), ("playout", "render_timeout"): (0, 3600),
    ("playout", "catch_up_days"): (0, 366), ("playout", "keep_aired_days"): (1, 3650),
    ("console", "session_hours"): (0.1, 24 * 90), ("console", "upload_mb"): (1, 2000),
    ("console", "record_minutes"): (0.5, 180), ("playout", "retry_preferred_until"): (0, 168),
}


def _value(cls, key: str, name: str, value, located: yamlfile.Located):
    """VALUE checked against the field's type (and range): a wrong type never reaches the code."""
    field = next(f for f in fields(cls) if f.name == name)
    kind, default = str(field.type), getattr(cls(), name)
    where = (key, name)
    if value is None and "None" in kind:
        return None
    if isinstance(default, tuple):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise located.error(where, _("expected a non-empty list of names"))
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise located.error(where, _("expected true or false, got {value!r}").format(value=value))
        return value
    if kind in ("int", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise located.error(where, _("expected a number, got {value!r}").format(value=value))
        if kind == "int" and value != int(value):
            raise located.error(where, _("expected a whole number, got {value!r}").format(value=value))
        low, high = RANGES.get(where, (-math.inf, math.inf))
        if not low <= value <= high:
            raise located.error(where, _("{value} is out of range").format(value=value),
                                _("use a value from {low} to {high}").format(low=low, high=high))
        return int(value) if kind == "int" else float(value)
    if "str" in kind and not isinstance(value, str):
        raise located.error(where, _("expected text, got {value!r}").format(value=value),
                            _("put the value in quotes"))
    return value


def _section(cls, raw: dict, located: yamlfile.Located, key: str):
    """Build a settings dataclass from a mapping, rejecting unknown keys."""
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise located.error((key,), _("expected a mapping of settings"))
    known = {f.name: f for f in fields(cls)}
    values = {}
    for name, value in raw.items():
        if name not in known:
            raise located.error((key, name), _("unknown setting"), i18n.known(known))
        values[name] = _value(cls, key, name, value, located)
    return cls(**values)


def load_station(root: Path) -> Station:
    """Load ROOT/station.yaml (all settings optional); defaults when the file is absent."""
    root = Path(root).resolve()
    path = root / STATION_FILE
    if not path.exists():
        return Station(root=root)
    return _station(root, yamlfile.load(path))


def parse_station(root: Path, text: str) -> Station:
    """The station ROOT would have with TEXT as its station.yaml (checks an edit before it is saved)."""
    root = Path(root).resolve()
    return _station(root, yamlfile.parse(text, root / STATION_FILE))


def _station(root: Path, located: yamlfile.Located) -> Station:
    path = located.path
    raw = located.data or {}
    if not isinstance(raw, dict):
        raise InputError(path, 1, None, _("expected a mapping of settings"))
    allowed = {"name", "organisation", "timezone", "speech", "mix", "output", "playout", "report", "topics", "lexicon",
               "approval", "console", "language", "relays"}
    for key in raw:
        if key not in allowed:
            raise located.error((key,), _("unknown setting"), i18n.known(sorted(allowed)))
    station = Station(
        root=root,
        speech=_section(SpeechSettings, raw.get("speech"), located, "speech"),
        mix=_section(MixSettings, raw.get("mix"), located, "mix"),
        output=_section(OutputSettings, raw.get("output"), located, "output"),
        playout=_section(PlayoutSettings, raw.get("playout"), located, "playout"),
        report=_section(ReportSettings, raw.get("report"), located, "report"),
        approval=_section(ApprovalSettings, raw.get("approval"), located, "approval"),
        console=_section(ConsoleSettings, raw.get("console"), located, "console"),
    )
    for key in ("name", "organisation", "timezone", "lexicon", "language"):
        if key in raw and not (isinstance(raw[key], str) or (key == "lexicon" and raw[key] is None)):
            raise located.error((key,), _("expected text, got {value!r}").format(value=raw[key]),
                                _("put the value in quotes"))
        if key in raw:
            station = replace(station, **{key: raw[key]})
    try:
        ZoneInfo(station.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise located.error(("timezone",), _("unknown timezone {name!r}").format(name=station.timezone),
                            _("use an IANA name such as Asia/Ho_Chi_Minh")) from exc
    if "topics" in raw:
        station = replace(station, topics=_topics(raw["topics"], located))
    if "relays" in raw:
        station = replace(station, relays=tuple(parse_relays(raw["relays"], located).values()))
    _check_station(station, located)
    return station


def _topics(raw, located: yamlfile.Located) -> tuple[Topic, ...]:
    if not isinstance(raw, list) or not raw:
        raise located.error(("topics",), _("expected a list of {{code, label}}").format())
    out = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("label"):
            raise located.error(("topics", index), _("each topic needs 'code' and 'label'"))
        out.append(Topic(str(entry["code"]), str(entry["label"]), str(entry.get("group", "khac"))))
    return tuple(out)


def _check_station(station: Station, located: yamlfile.Located) -> None:
    if station.language not in LANGUAGES:
        raise located.error(("language",), _("unknown language {name!r}").format(name=station.language),
                            _("use vi (Vietnamese) or en (English)"))
    if station.output.format not in ("wav", "flac", "mp3"):
        raise located.error(("output", "format"), _("unknown format {name!r}").format(name=station.output.format),
                            _("use wav or flac for playout, mp3 for publishing"))
    if station.mix.duck < 12:
        raise located.error(("mix", "duck"), _("the bed must drop at least 12 dB under speech"))
    if station.mix.true_peak > 0:
        raise located.error(("mix", "true_peak"), _("the true-peak ceiling must be below 0 dBTP"))
    seen: set[str] = set()
    for index, engine in enumerate(station.speech.engines):
        if engine not in ENGINE_NAMES:
            raise located.error(("speech", "engines", index), _("unknown engine {name!r}").format(name=engine),
                                i18n.known(ENGINE_NAMES))
        if engine in seen:
            raise located.error(("speech", "engines", index), _("engine {name!r} is listed twice").format(name=engine),
                                _("list each engine once, in the order they are tried"))
        seen.add(engine)
    for name, voices in ONLINE_VOICES.items():
        chosen = getattr(station.speech, f"{name}_voice")
        if chosen not in voices:
            raise located.error(("speech", f"{name}_voice"), _("{engine} has no voice {name!r}").format(
                engine=name, name=chosen), i18n.known(voices))
    if station.speech.voice not in ESPEAK_VOICES:
        raise located.error(("speech", "voice"), _("espeak-ng has no voice {name!r}").format(name=station.speech.voice),
                            i18n.known(ESPEAK_VOICES))
    if station.mix.sample_rate not in (16000, 22050, 24000, 44100, 48000):
        raise located.error(("mix", "sample_rate"), _("{rate} Hz is not supported").format(rate=station.mix.sample_rate),
                            _("use 22050 (speech) or 44100/48000"))
    choices = (("restart", ("from-start", "resume")), ("pulse_client", ("auto", "pacat", "ffmpeg")),
               ("icecast_keepalive", ("silence", "standby")), ("after_emergency", ("resume", "requeue")))
    for key, allowed in choices:
        value = getattr(station.playout, key)
        if value not in allowed:
            raise located.error(("playout", key), _("unknown value {value!r}").format(value=value),
                                _("use one of: {names}").format(names=", ".join(allowed)))



def edit_station(station: Station, changes: dict[tuple, object]) -> Station:
    """Set CHANGES (key paths) in station.yaml, keeping its comments and everything else as written;
    the new text must load before it replaces the file. Returns the station as it now reads."""
    from broadcast import yamledit

    found: list[Station] = []
    yamledit.edit(station.root / STATION_FILE, changes, lambda text: found.append(parse_station(station.root, text)))
    return found[0]
