"""The few filters the mix needs, without importing scipy.signal and scipy.ndimage (1.1 s of
start-up for every render): cascaded biquads through scipy's compiled `_sosfilt` kernel alone,
and the limiter's sliding minimum and mean in numpy."""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


@functools.cache
def _kernel():
    """scipy's biquad kernel, loaded from its file without running scipy.signal's package
    init (17 ms instead of 1.1 s). A scipy without that file falls back to the public API."""
    try:
        import scipy

        found = sorted((Path(scipy.__file__).parent / "signal").glob("_sosfilt.*"))
        spec = importlib.util.spec_from_file_location("_sosfilt", found[0]) if found else None
        if spec is None or spec.loader is None:
            log.info("scipy has no _sosfilt extension: using scipy.signal.sosfilt")
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module._sosfilt
    except (ImportError, OSError, AttributeError) as exc:
        log.info("scipy's _sosfilt kernel not loadable directly (%s): using scipy.signal.sosfilt", exc)
        return None


def sosfilt(sos: np.ndarray, x: np.ndarray, zi: np.ndarray, in_place: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """X (1-D) through the second-order sections SOS from state ZI (sections x 2):
    (output, final state), as scipy.signal.sosfilt(sos, x, zi=zi). IN_PLACE: X is a
    temporary of the caller's, filtered where it is when its type allows."""
    kernel = _kernel()
    dtype = np.result_type(sos, x, zi)
    if kernel is None:
        from scipy.signal import sosfilt as public

        return public(sos, x, zi=zi)
    fits = in_place and x.dtype == dtype and x.flags.c_contiguous and x.flags.writeable
    y = (x if fits else np.array(x, dtype=dtype, order="C")).reshape(1, -1)        # filtered in place
    state = np.array(zi, dtype=dtype, order="C").reshape(1, len(sos), 2)
    kernel(np.ascontiguousarray(sos, dtype=dtype), y, state)
    return y.reshape(-1), state.reshape(len(sos), 2)


def ahead_minimum(x: np.ndarray, span: int, fill: float) -> np.ndarray:
    """out[i] = min(x[i : i + span]), past the end FILL (scipy's minimum_filter1d with
    origin=-(span // 2), mode="constant"). Van Herk/Gil-Werman: a running minimum forwards
    and backwards within blocks of SPAN, so the cost does not grow with the window."""
    n = len(x)
    blocks = -(-(n + span - 1) // span)
    padded = np.full(blocks * span, fill, dtype=x.dtype)
    padded[:n] = x
    shaped = padded.reshape(blocks, span)
    forward = np.minimum.accumulate(shaped, axis=1).ravel()
    backward = np.minimum.accumulate(shaped[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(backward[:n], forward[span - 1: span - 1 + n])


def behind_mean(x: np.ndarray, span: int, fill: float) -> np.ndarray:
    """out[i] = mean(x[i - span + 1 : i + 1]), before the start FILL (scipy's uniform_filter1d
    with origin=span // 2, mode="constant")."""
    padded = np.concatenate([np.full(span - 1, fill, dtype=np.float64), x.astype(np.float64)])
    sums = np.cumsum(padded)
    sums[span:] = sums[span:] - sums[:-span]
    return (sums[span - 1:] / span).astype(x.dtype)
