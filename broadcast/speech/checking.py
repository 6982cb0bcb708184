""""Kiểm tra" of one engine: a short sentence voiced through it, and the verdict in the officer's
words — works, wrong key, quota used up, no network (or the service's own fault) — with the time
it took."""

from __future__ import annotations

import time
from dataclasses import dataclass

from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.speech.base import Engine

SENTENCE = "Xin kính chào bà con nhân dân."
CHECK_SECONDS = 45.0          # a check gives up sooner than a render (FPT.AI's audio may take 2 minutes)


@dataclass(frozen=True)
class CheckResult:
    engine: str
    ok: bool
    kind: str            # works | key | quota | network | server | answer | unavailable | failed
    seconds: float
    detail: str          # the engine's own words (never a key)

    @property
    def text(self) -> str:
        verdict = {
            "works": _("works: a sentence was voiced in {seconds:.1f} s"),
            "key": _("wrong key (the service refused it) — answered in {seconds:.1f} s"),
            "quota": _("quota used up: the service refuses more text until it is topped up — answered in {seconds:.1f} s"),
            "network": _("no network: the service cannot be reached — gave up after {seconds:.1f} s"),
            "server": _("the service is failing on its side — gave up after {seconds:.1f} s"),
            "answer": _("the service answered something that is not audio — after {seconds:.1f} s"),
            "unavailable": _("cannot be used: {detail}"),
            "failed": _("failed after {seconds:.1f} s"),
        }[self.kind].format(seconds=self.seconds, detail=self.detail)
        return verdict if self.kind in ("works", "unavailable") else f"{verdict} ({self.detail})"


def check_engine(engine: Engine, sentence: str = SENTENCE) -> CheckResult:
    from broadcast.speech.online import OnlineEngine, ServiceError

    began = time.monotonic()
    try:
        if isinstance(engine, OnlineEngine) and not engine.has_key():
            return CheckResult(engine.name, False, "unavailable", 0.0, engine.available().reason)
        if isinstance(engine, OnlineEngine):
            engine.key()                     # no key (or an unreadable keys file): said without a request
            engine.forget_down()             # asked for: try the network now
            engine.budget = min(engine.budget, CHECK_SECONDS)
            if hasattr(engine, "async_wait"):
                engine.async_wait = min(engine.async_wait, CHECK_SECONDS)
        else:
            ready = engine.available()
            if not ready:
                return CheckResult(engine.name, False, "unavailable", 0.0, ready.reason)
        began = time.monotonic()
        engine.synthesize(sentence)
    except ServiceError as exc:
        return CheckResult(engine.name, False, exc.kind, time.monotonic() - began, exc.message)
    except BroadcastError as exc:
        return CheckResult(engine.name, False, "failed", time.monotonic() - began, exc.message)
    return CheckResult(engine.name, True, "works", time.monotonic() - began, "")
