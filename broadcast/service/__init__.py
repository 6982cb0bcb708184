"""Every action of the officer, for every front end (CLI, web console): plain functions over a
Station value, returning typed records and raising the project's errors. Imports no front end.

Submodules load on first use (`service.records.as_run(...)`), so a command that touches no
audio never imports the audio stack."""

import importlib

MODULES = ("approval", "conflicts", "dashboard", "history", "intake", "lengths", "library", "lexicon", "link", "listen", "playout",
           "hub", "hub_accounts", "hub_bulletins", "hub_console", "publish", "reading", "recording", "records", "relays",
           "render", "scripts", "sessions", "settings", "station", "uploads", "users",
           "voices", "worker", "week")


def __getattr__(name: str):
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
