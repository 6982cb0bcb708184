"""A process that renders reuses the pages of the arrays it freed (counted in page faults, in a
process of its own: the setting is process-wide)."""

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
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", MIX_LIKE_FAULTS, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_freed_arrays_are_reused_without_page_faults():
    """Page faults, not pages: numpy asks for huge pages where the kernel has them."""
    plain, tuned = _faults("plain"), _faults("tuned")
    assert tuned * 2 < plain, (plain, tuned)       # plain: faulted in again for most arrays
