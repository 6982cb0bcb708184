"""The message catalog's upkeep (developers): extract every message from the sources and
click's own texts, merge them into each language's .po, and compile the .mo files.

    python tools/messages.py update     # after changing messages: then translate the new entries
    python tools/messages.py compile    # .po -> .mo (setup.sh runs it)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from broadcast import i18n  # noqa: E402

SOURCES = (
    (ROOT / "broadcast", [("**/templates/**.html", "jinja2"), ("**.py", "python")]),
    (Path(click.__file__).parent, [("**.py", "python")]),
)
TRANSLATED = tuple(lang for lang in i18n.LANGUAGES if lang != "en")
EXTRA = ("Usage:",)   # click writes it inside an f-string, where extraction does not look



def cli_help() -> list[str]:
    """The command line's help texts (docstrings and option help), as click shows them."""
    import inspect

    from broadcast.cli import cli

    found, stack = [], [cli]
    while stack:
        command = stack.pop()
        if command.help:
            found.append(inspect.cleandoc(command.help))
        found += [p.help for p in command.params if getattr(p, "help", None)]
        stack += list(getattr(command, "commands", {}).values())
    return found


def extract() -> Catalog:
    """Every message the sources and click can show, with where it is used."""
    template = Catalog(project="broadcast", charset="utf-8")
    for text in EXTRA:
        template.add(text, None, [("click", 0)], auto_comments=["click"])
    for text in cli_help():
        template.add(text, None, [("broadcast/cli.py", 0)], auto_comments=["command line help"])

    for folder, method_map in SOURCES:
        options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
        for filename, line, message, comments, context in extract_from_dir(
                str(folder), method_map, options_map=options, strip_comment_tags=True):
            where = (f"{folder.name}/{filename}", line)
            template.add(message, None, [where], auto_comments=comments, context=context)
    return template


def read(lang: str) -> Catalog:
    with i18n.po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def update() -> None:
    template = extract()
    for lang in TRANSLATED:
        path = i18n.po_path(lang)
        catalog = read(lang) if path.exists() else Catalog(locale=lang, project="broadcast")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=110, omit_header=False)
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {missing} to translate")


def compile_all() -> None:
    for lang in TRANSLATED:
        i18n.compile_catalog(lang)
        print(f"compiled {i18n.po_path(lang).with_suffix('.mo').relative_to(ROOT)}")


if __name__ == "__main__":
    {"update": update, "compile": compile_all}[sys.argv[1] if len(sys.argv) > 1 else "update"]()
