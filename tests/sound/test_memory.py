"""A process that renders reuses the pages of the arrays it freed and asks for no transparent
huge pages (counted in page faults, in a process of its own: the settings are process-wide)."""

import os
import subprocess
import sys

MIX_LIKE_FAULTS = """
import resource, sys
import numpy as np
from broadcast.sound import memory
if sys.argv[1] == "tuned":
    memory.reuse_freed_memory()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for mb in (16, 8, 16, 8, 12, 16):          # a mix's temporaries: made, used, freed, made again
    block = np.ones(mb << 18, dtype=np.float32)
    del block
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
print(faults, np._core.multiarray._set_madvise_hugepage(True))
"""


def _run(mode: str, env: dict) -> tuple[int, bool]:
    done = subprocess.run([sys.executable, "-c", MIX_LIKE_FAULTS, mode], capture_output=True, text=True, check=True,
                          env={**os.environ, **env})
    faults, huge = done.stdout.split()
    return int(faults), huge == "True"


def test_freed_arrays_are_reused_without_page_faults():
    plain, _ = _run("plain", {"NUMPY_MADVISE_HUGEPAGE": "0"})      # the same page size on both sides
    tuned, huge = _run("tuned", {})
    assert tuned * 1.5 < plain, (plain, tuned)       # plain: faulted in again for most arrays
    assert not huge                                  # no waiting for the kernel to compact memory
