"""Straighten a scanned page: the angle whose rotation makes the text lines most horizontal
(the largest variance of the rows' ink), searched coarse then fine within ±5°."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from broadcast.errors import DocumentError
from broadcast.i18n import _
from broadcast.intake import limits


def load_gray(path: Path, name: str | None = None):
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS
    try:
        with Image.open(path) as image:
            if image.width * image.height > limits.MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError(image.size)
            return image.convert("L")
    except Image.DecompressionBombError as exc:
        raise DocumentError(_("{name}: the picture is too large ({cap} megapixels at most)").format(
            name=name or path.name, cap=limits.MAX_IMAGE_PIXELS // 1_000_000), _("take the photo again at a lower resolution")) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise DocumentError(_("{name}: the picture is damaged and cannot be read").format(name=name or path.name),
                            _("take the photo or scan the page again")) from exc


def skew_angle(gray) -> float:
    """Degrees to rotate GRAY (a PIL image) by to make its lines level."""
    small = gray.copy()
    small.thumbnail((900, 900))
    ink = small.point(lambda v: 255 if v < 140 else 0)

    def score(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, fillcolor=0), dtype=np.float32).sum(axis=1)
        return float(np.var(rows))

    best = max(np.arange(-5.0, 5.01, 0.5), key=score)
    return float(max(np.arange(best - 0.5, best + 0.51, 0.1), key=score))


def straighten(path: Path) -> Path:
    """PATH straightened, as a PNG beside it (PATH itself when already level)."""
    gray = load_gray(path)
    angle = skew_angle(gray)
    if abs(angle) < 0.15:
        if path.suffix.lower() == ".png":
            return path
        angle = 0.0
    from PIL import Image

    target = path.with_name(path.stem + "-level.png")
    gray.rotate(angle, resample=Image.BICUBIC, fillcolor=255).save(target)
    return target
