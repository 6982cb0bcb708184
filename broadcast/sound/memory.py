"""Freed arrays reused, not faulted in again. glibc's malloc serves blocks above 128 kB from
fresh mmap pages (its threshold then adapts upwards, but only after the first frees), so in a
fresh process every temporary array of the mix is paid again in page faults: a third of a
re-mix. A process that renders raises the threshold to glibc's 32 MB maximum and keeps what it
frees at the top of its heap, so the next temporaries reuse warm pages.

It also stops numpy asking for transparent huge pages: with the kernel's default `defrag`
setting a huge-page fault may wait for memory to be compacted, which after other work made a
re-mix take 0.60 s instead of 0.28 s; with plain pages it takes 0.36-0.39 s every time."""

from __future__ import annotations

import ctypes
import functools

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3       # mallopt's parameter numbers (malloc.h)
MMAP_THRESHOLD = 32 << 20                          # the largest glibc accepts on 64-bit
TRIM_THRESHOLD = 128 << 20                         # freed memory kept for reuse, at most


@functools.cache
def reuse_freed_memory() -> bool:
    """Tune this process's memory for big temporary arrays; False where there is no glibc."""
    import numpy as np

    huge_pages = getattr(getattr(np, "_core", np).multiarray, "_set_madvise_hugepage", None)
    if huge_pages is not None:
        huge_pages(False)
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
