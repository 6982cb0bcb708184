"""The report's weekly chart as inline SVG: minutes aired per week, stacked by topic. Drawn here,
not with matplotlib, so the console stays small and the page needs nothing from elsewhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 40, 24, 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str                       # shown on hover: topic, week, minutes


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[tuple[float, str]]   # x, dd/mm of the week's Monday
    grid: list[tuple[float, int]]    # y, minutes
    legend: list[tuple[str, str]]    # colour, topic label
    width: int = WIDTH
    height: int = HEIGHT


def weekly(weeks: list[tuple[dt.date, dict[str, float]]], labels: dict[str, str]) -> Chart | None:
    """Stacked bars of WEEKS (Monday, {topic: seconds}); None when nothing aired."""
    if not weeks:
        return None
    topics = [t for t in labels if any(t in by for _, by in weeks)]
    topics += sorted({t for _, by in weeks for t in by} - set(topics))
    colour = {t: COLOURS[n % len(COLOURS)] for n, t in enumerate(topics)}
    peak = max(sum(by.values()) for _, by in weeks) / 60 or 1
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if peak / s <= 5)
    top = step * -(-peak // step)
    scale = (HEIGHT - BOTTOM - TOP) / top
    slot = (WIDTH - LEFT) / len(weeks)
    bars, ticks = [], []
    for n, (monday, by) in enumerate(weeks):
        x, base = LEFT + n * slot + slot * 0.15, HEIGHT - BOTTOM
        for topic in topics:
            minutes = by.get(topic, 0.0) / 60
            if minutes:
                h = minutes * scale
                base -= h
                bars.append(Bar(round(x, 1), round(base, 1), round(slot * 0.7, 1), round(h, 1), colour[topic],
                                f"{labels.get(topic, topic)} – {monday:%d/%m/%Y}: {minutes:.0f}'"))
        if len(weeks) <= 14 or n % -(-len(weeks) // 13) == 0:
            ticks.append((round(LEFT + (n + 0.5) * slot, 1), f"{monday:%d/%m}"))
    grid = [(round(HEIGHT - BOTTOM - m * scale, 1), int(m)) for m in range(0, int(top) + 1, step)]
    return Chart(bars, ticks, grid, [(colour[t], labels.get(t, t)) for t in topics])
