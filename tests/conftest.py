"""Fixtures that build real station folders, scripts and audio files."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from broadcast import i18n
from broadcast.errors import BroadcastError
from broadcast.news.scripts import parse_script
from tests import pgcluster
from tests.soundpath import start_pulse, stop_pulse

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def language(request, monkeypatch) -> str:
    """Messages in English, which most tests read, unless the test module sets LANGUAGE = "vi"
    (the console's tests, the catalog's tests). Child processes get the same choice."""
    chosen = getattr(request.module, "LANGUAGE", "en")
    monkeypatch.setenv("BROADCAST_LANG", chosen)
    i18n.use_language(chosen)
    return chosen


@pytest.fixture
def station_dir(tmp_path: Path) -> Path:

    """A station folder: the sample station.yaml, lexicon and jingles, no scripts yet."""
    root = tmp_path / "station"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "station.yaml", root / "station.yaml")
    shutil.copy(REPO / "lexicon.yaml", root / "lexicon.yaml")
    shutil.copytree(REPO / "audio", root / "audio")
    return root


def write_script(folder: Path, name: str, body: str = "Kính thưa bà con nhân dân. Đây là bản tin thử.",
                 **fields) -> Path:
    """A script file; approved for air unless `approved=None` is given (or it does not parse)."""
    approve = "approved" not in fields
    front = {"id": name, "title": f"Tin {name}", "topic": "dich-vu-cong",
             "valid_from": "2024-01-01", "valid_until": "2024-12-31", **fields}
    lines = ["---"] + [f"{k}: {v}" for k, v in front.items() if v is not None] + ["---", textwrap.dedent(body).strip(), ""]
    path = folder / f"{name}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    if approve:
        try:
            item = parse_script(path)
        except BroadcastError:
            return path
        lines.insert(-3, f"approved: {{by: lanh-dao, at: '2024-01-01T08:00:00+07:00', hash: {item.approval_hash}}}")
        path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def measure(ffmpeg: str, path: Path) -> dict:
    """Loudness, true peak and duration measured by ffmpeg itself (independent of our code)."""
    done = subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)
    summary = done.stderr[done.stderr.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.inf]+) dBFS", summary).group(1))
    duration = re.findall(r"time=(\d+):(\d+):([\d.]+)", done.stderr)[-1]
    seconds = int(duration[0]) * 3600 + int(duration[1]) * 60 + float(duration[2])
    return {"lufs": integrated, "true_peak": peak, "seconds": seconds}


SCHEDULE = """\
station:
  name: Đài truyền thanh xã Thử
  timezone: Asia/Ho_Chi_Minh
zones:
  thon-1: {name: Thôn 1, output: pulse}
  thon-2: {name: Thôn 2, output: "file:out/thon-2"}
slots:
  - id: sang
    days: [Thứ Hai, Thứ Tư, Thứ Sáu]
    start: "06:00"
    length: 15m
    zones: all
    program:
      greeting: Xin kính chào bà con.
      rules:
        - order: rotate
          max: 2
  - id: chieu
    days: hằng ngày
    start: "17:00"
    length: 10 phút
    zones: [thon-1]
    program:
      items: [tin-a]
"""


def write_schedule(root: Path, text: str = SCHEDULE, name: str = "tuan.yaml") -> Path:
    folder = root / "schedules"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def one_slot_schedule(root: Path, start, output: str, item: str, zone: str = "thon-1") -> Path:
    """A schedule with one zone and one daily slot at START (a datetime, to the second)."""
    return write_schedule(root, f"""\
zones:
  {zone}: {{name: {zone}, output: "{output}"}}
slots:
  - id: ngay
    days: hằng ngày
    start: "{start:%H:%M:%S}"
    length: 2m
    zones: all
    program: {{intro: false, outro: false, items: [{item}]}}
""")


@pytest.fixture
def planned_station(station_dir: Path) -> Path:
    """A station with four scripts and the two-slot schedule above."""
    for name in ("tin-a", "tin-b", "tin-c", "tin-d"):
        write_script(station_dir / "scripts", name)
    write_schedule(station_dir)
    return station_dir


# ---------------------------------------------------------------- a real sound path
@pytest.fixture(scope="session")
def pulse(tmp_path_factory) -> dict:
    """A PulseAudio server with a null sink 'loa' (no sound card needed); yields its env.
    setup.sh --test installs pulseaudio; the tests start and stop their own server."""
    env = start_pulse(tmp_path_factory.mktemp("pulse"))
    yield env
    stop_pulse(env)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster (tests/pgcluster.py) for the whole run, on a unix socket only."""
    cluster = pgcluster.start()
    yield cluster
    cluster.stop()


_databases = iter(range(1, 1_000_000))


@pytest.fixture
def hub_db(pg_cluster) -> str:
    """A fresh, empty PostgreSQL database for one test: its DSN (no password, unix socket)."""
    name = f"hub_{next(_databases)}"
    dsn = pg_cluster.create_database(name)
    yield dsn
    pg_cluster.drop_database(name)
