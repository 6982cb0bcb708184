"""The filters that replace scipy.signal and scipy.ndimage in the render path give the same
numbers as scipy's public functions, and a render does not import those packages."""

import subprocess
import sys

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import sosfilt

from broadcast.sound import dsp, filters

RATE = 22050


def test_biquads_match_scipy_sample_for_sample():
    x = np.random.default_rng(3).standard_normal(50_000).astype(np.float32)
    sos = dsp._k_weighting(RATE)
    state = np.zeros((2, 2), np.float32)
    ours, ours_state = filters.sosfilt(sos, x, state)
    theirs, theirs_state = sosfilt(sos, x, zi=state)
    assert np.array_equal(ours, theirs) and np.array_equal(ours_state, theirs_state)


def test_sliding_minimum_and_mean_match_scipy():
    x = np.random.default_rng(4).random(20_000).astype(np.float32)
    span, half = 67, 33
    assert np.array_equal(filters.ahead_minimum(x, span, 1.0),
                          minimum_filter1d(x, span, origin=-half, mode="constant", cval=1.0))
    assert np.allclose(filters.behind_mean(x, span, 1.0),
                       uniform_filter1d(x, span, origin=half, mode="constant", cval=1.0), atol=1e-6)


def test_the_render_path_does_not_import_scipy_signal_or_ndimage():
    code = ("import sys, numpy as np; from broadcast.render.bulletin import Renderer; from broadcast.sound import dsp; "
            "dsp.integrated_loudness(np.ones(44100, np.float32) * 0.1, 22050); "
            "print(sorted(m for m in sys.modules if m.startswith(('scipy.signal', 'scipy.ndimage'))))")
    # only the compiled kernel, never the packages (scipy.signal's own import takes a second)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "['scipy.signal._sosfilt']"
