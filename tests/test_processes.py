"""Processes die with their parent (issue 17.13): a killed command leaves no worker running."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from broadcast import proc
from tests.conftest import write_script


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_a_killed_render_leaves_no_worker(station_dir, tmp_path):
    for n in range(6):
        write_script(station_dir / "scripts", f"tin-{n}", body=f"Bản tin số {n}. " + "Kính thưa bà con nhân dân. " * 20)
    command = subprocess.Popen([sys.executable, "-m", "broadcast", "-S", str(station_dir), "render",
                                str(station_dir / "scripts"), "-o", str(tmp_path / "b.wav")])
    deadline = time.monotonic() + 60
    while len(_children(command.pid)) < 2 and time.monotonic() < deadline and command.poll() is None:
        time.sleep(0.05)
    workers = _children(command.pid)
    assert len(workers) >= 2, "the render should have started its workers"
    command.send_signal(signal.SIGKILL)
    command.wait(10)
    time.sleep(1.0)
    assert not [pid for pid in workers if _alive(pid)]


def test_a_spawned_player_dies_with_its_parent_without_a_preexec_hook(tmp_path):
    script = ("import sys, time; from broadcast import proc; "
              "child = proc.spawn(['sleep', '60'], die_with_parent=True); print(child.pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    deadline = time.monotonic() + 10          # setpriv has set the signal once it has exec'd the player
    while not Path(f"/proc/{child}/cmdline").read_bytes().startswith(b"sleep") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    time.sleep(0.5)
    assert not _alive(child)
    assert "preexec_fn" not in Path(proc.__file__).read_text()
