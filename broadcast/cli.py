"""Command line: thin click commands over the library. `main` is the one place that
turns errors into messages and exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import logging
import os
import sys
from pathlib import Path

import click

from broadcast import i18n, service
from broadcast.errors import BroadcastError, EngineError, InputError, ScriptErrors
from broadcast.i18n import _, ngettext
from broadcast.present import ITEM_LABELS, STATUS_LABELS, certainty, mmss
from broadcast.service.station import Station


class Context:
    def __init__(self, root: Path, language_chosen: bool):
        self.root = root
        self.language_chosen = language_chosen
        self._station: Station | None = None
        self.hub_dsn = ""                     # `broadcast hub --db`

    @property
    def station(self) -> Station:
        if self._station is None:
            self._station = service.station.open_station(self.root)
            if not self.language_chosen:
                i18n.use_language(self._station.language)
        return self._station


pass_ctx = click.make_pass_decorator(Context)


class _Translated:
    """Help texts are written in English here and shown in the chosen language (the catalog
    holds them: tools/messages.py collects them from this command tree)."""

    def _translated(self, show, *args):
        original = self.help
        self.help = _(inspect.cleandoc(original)) if original else original
        try:
            return show(*args)
        finally:
            self.help = original


class Command(_Translated, click.Command):
    def format_help_text(self, ctx, formatter):
        return self._translated(super().format_help_text, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return self._translated(super().get_short_help_str, limit)

    def get_help_option(self, ctx):
        """click builds --help once and keeps it: its text too is translated when shown."""
        option = super().get_help_option(ctx)
        if option is not None and not isinstance(option, Option):
            option.__class__, option.help = Option, "Show this message and exit."
        return option

    def collect_usage_pieces(self, ctx):

        names = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]..."),
                 "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...": _("COMMAND [ARGS]...")}
        return [names.get(piece, piece) for piece in super().collect_usage_pieces(ctx)]



class Group(Command, click.Group):
    command_class = Command
    group_class = type                   # subgroups are Groups too


class Option(_Translated, click.Option):
    def get_help_record(self, ctx):
        return self._translated(super().get_help_record, ctx)


option = functools.partial(click.option, cls=Option)


def _choose_language(ctx: click.Context, param, value: str | None) -> str | None:
    if value:
        i18n.use_language(value)
    return value


@click.group(cls=Group)
@option("--lang", type=click.Choice(i18n.LANGUAGES), envvar="BROADCAST_LANG", is_eager=True, expose_value=True,
        callback=_choose_language, help="Language of messages: vi (default) or en; also BROADCAST_LANG or "
                                        "'language:' in station.yaml.")
@option("--station", "-S", "root", default=".", envvar="BROADCAST_STATION", show_default=True,
        type=click.Path(file_okay=False, path_type=Path), help="Station folder (holds station.yaml).")
@option("--verbose", "-v", is_flag=True, help="Log what happens, including engine fallbacks.")
@click.version_option(package_name="broadcast", cls=Option, help="Show the version and exit.")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, root: Path, verbose: bool) -> None:
    """broadcast: radio automation for commune loudspeaker stations (Đài truyền thanh xã)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(root, language_chosen=bool(lang))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pass_ctx
def check(ctx: Context, paths: tuple[Path, ...]) -> None:
    """Validate news scripts (default: the station's scripts/ folder)."""
    result = service.scripts.lint_scripts(ctx.station, list(paths), _now(ctx.station).date())
    for warning in result.warnings:
        click.echo(_("Warning: {message}").format(message=warning), err=True)
    if result.problems:
        raise ScriptErrors(result.problems)
    click.echo(ngettext("{count} script OK", "{count} scripts OK", len(result.items)).format(count=len(result.items)))


@cli.command()
@click.argument("text", required=False)
@option("--explain", is_flag=True, help="Also list the words with no reading, spelled letter by letter on air.")
@pass_ctx
def normalize(ctx: Context, text: str | None, explain: bool) -> None:
    """Print TEXT as it will be read aloud; without TEXT, read stdin line by line."""
    normalizer = service.reading.normalizer(ctx.station)
    lines = [(1, text)] if text is not None else _stdin_lines()
    spelled: dict[str, tuple[str, int]] = {}
    names: dict[str, tuple[str, int]] = {}
    for number, line in lines:
        explained = normalizer.explain(line)
        click.echo(explained.spoken)
        for written, said in explained.spelled:
            spelled.setdefault(written, (said, number))
        for written, said in explained.approximated:
            names.setdefault(written, (said, number))
    if explain:
        click.echo(format_spelled(spelled, names), err=True)


def _stdin_lines():
    for number, raw in enumerate(click.get_binary_stream("stdin"), start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise InputError("stdin", number, None, _("not UTF-8 text (byte 0x{byte:02x})").format(byte=raw[exc.start]),
                             _("save the text as UTF-8 (Unicode); in Notepad choose 'UTF-8' when saving")) from None
        yield number, line.rstrip("\r\n")


def format_spelled(spelled: dict[str, tuple[str, int]], names: dict[str, tuple[str, int]] | None = None) -> str:
    names = names or {}
    if not spelled and not names:
        return _("Every word has a reading: nothing is spelled letter by letter.")
    rows = []
    for title, found in ((_("Spelled letter by letter (no reading in the lexicon):"), spelled),
                         (_("Names read as Vietnamese syllables (check them by ear):"), names)):
        if found:
            rows.append(title)
            rows += [_("  line {line}: {written} → {said}").format(line=line, written=written, said=said)
                     for written, (said, line) in sorted(found.items(), key=lambda kv: (kv[1][1], kv[0]))]
    rows.append(_("Add a reading: broadcast lexicon add {written} \"cách đọc\"").format(
        written=next(iter(spelled or names))))
    return "\n".join(rows)


@cli.group()
def lexicon() -> None:
    """How words are read (Cách đọc): the station's lexicon.yaml."""


@lexicon.command("add")
@click.argument("written")
@click.argument("spoken")
@option("--sample", help="A sentence to hear it in.")
@pass_ctx
def lexicon_add(ctx: Context, written: str, spoken: str, sample: str | None) -> None:
    """Read WRITTEN as SPOKEN from now on (an abbreviation, a name)."""
    change = service.lexicon.add_entry(ctx.station, written, spoken, "words", sample, None, _now(ctx.station))
    click.echo(_("{written} → {spoken}").format(written=change.entry.written, spoken=change.entry.spoken))
    click.echo(_("before: {text}").format(text=change.before.spoken))
    click.echo(_("after:  {text}").format(text=change.after.spoken))


@lexicon.command("remove")
@click.argument("written")
@pass_ctx
def lexicon_remove(ctx: Context, written: str) -> None:
    """Remove the station's reading of WRITTEN (the built-in one applies again)."""
    service.lexicon.remove_entry(ctx.station, written, "words", None, None, _now(ctx.station))
    click.echo(_("removed {written}").format(written=written))


@lexicon.command("list")
@pass_ctx
def lexicon_list(ctx: Context) -> None:
    """The readings: the station's own first, then the built-in ones."""
    for entry in service.lexicon.entries(ctx.station):
        mark = _("station") if entry.station else _("built-in")
        click.echo(f"{entry.written:24} {entry.spoken:40} {mark}")


@cli.command()
@click.argument("scripts", nargs=-1, type=click.Path(exists=True, path_type=Path))
@option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file: .wav or .flac for playout, .mp3 for publishing.")
@option("--mp3", is_flag=True, help="Also write an MP3 copy for publishing.")
@option("--week", "week", is_flag=False, flag_value="this", default=None,
              help="Instead: render every program the schedule airs that week (2024-W12, a date, or this week).")
@pass_ctx
def render(ctx: Context, scripts: tuple[Path, ...], out: Path | None, mp3: bool, week: str | None) -> None:
    """Render one bulletin from SCRIPTS (files or folders) into OUT, or a week's programs."""
    if week is not None:
        with click.progressbar(length=1, label=_("rendering the week"), file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            done = service.render.render_week(ctx.station, None if week == "this" else week,
                                              _now(ctx.station).date(), progress)
        warn_hidden(done.hidden)
        click.echo(_("{first} to {last}").format(first=f"{done.start:%d/%m/%Y}",
                                                 last=f"{done.end - dt.timedelta(days=1):%d/%m/%Y}"))
        click.echo(format_week_render(done.programs))
        return
    if not scripts or out is None:
        raise click.UsageError(_("give SCRIPTS and -o OUT, or --week"))
    with click.progressbar(length=1, label=_("voicing the bulletin"), file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        rendered = service.render.render_bulletin(ctx.station, list(scripts), out, mp3, progress)
    click.echo(format_render(rendered))


def header(*columns: tuple[str, str]) -> str:
    """A table's header line from (title, format spec) pairs; titles are translated by the caller
    (outside f-strings, where the catalog's extractor sees them)."""
    return " ".join(format(title, spec) for title, spec in columns).rstrip()


def format_week_render(rendered) -> str:
    if not rendered:
        return _("no program to render that week")
    lines = [header((_("first airs"), "16"), (_("slot"), "14"), (_("zone count"), ">6"), (_("length"), ">7"),
                    (" " + _("items (speech engine)"), ""))]
    for program in rendered:
        items = ", ".join(f"{i['id']} ({i['engine']})" for i in program.items) or program.problem
        lines.append(f"{program.first:%d/%m/%Y %H:%M} {program.slot:14} {program.zones:>6} "
                     f"{mmss(program.seconds):>7}  {items}")
    fresh = sum(1 for p in rendered if p.fresh)
    lines.append(ngettext("{count} program: {fresh} rendered now, {cached} already in the cache",
                          "{count} programs: {fresh} rendered now, {cached} already in the cache", len(rendered))
                 .format(count=len(rendered), fresh=fresh, cached=len(rendered) - fresh))
    return "\n".join(lines)


def format_render(result) -> str:
    lines = [header((_("item"), "32"), (_("engine"), "8"), (_("seconds"), ">8"), (" " + _("note"), ""))]
    for item in result.items:
        note = (_("fell back: {reasons}").format(reasons="; ".join(item.fallbacks)) if item.fallbacks
                else (_("from the cache") if item.cached else ""))
        lines.append(f"{item.id:32} {item.engine:8} {item.duration:8.1f}  {note}")
    wrote = _("wrote {path} ({format}, reused from the cache)") if result.reused else _("wrote {path} ({format})")
    lines.append(wrote.format(path=result.path, format=result.format))
    lines.append(_("length {seconds:.1f} s, loudness {lufs:.1f} LUFS, true peak {peak:.1f} dBTP").format(
        seconds=result.duration, lufs=result.loudness, peak=result.true_peak))
    if result.mp3:
        lines.append(_("wrote {path} (MP3 for publishing)").format(path=result.mp3))
    return "\n".join(lines)


@cli.command()
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into (default: the station's audio/jingles).")
@pass_ctx
def jingles(ctx: Context, out: Path | None) -> None:
    """Regenerate the project's own jingles (intro, outro, separator, bed)."""
    for path in service.render.write_jingles(ctx.station, out):
        click.echo(_("wrote {path}").format(path=path))


def _now(station: Station) -> dt.datetime:
    return service.station.now(station)


WEEK_HELP = "Week to use: 2024-W12, or a date in it (default: this week)."


@cli.group()
def schedule() -> None:
    """Check and show the weekly loudspeaker schedule (schedules/*.yaml)."""


@schedule.command("check")
@option("--week", "week", default=None, help=WEEK_HELP)
@pass_ctx
def schedule_check(ctx: Context, week: str | None) -> None:
    """Find overlaps, overruns, unknown or expired scripts before they go on air."""
    plan = service.week.plan_week(ctx.station, week, _now(ctx.station).date())
    report = plan.check
    for warning in report.warnings:
        click.echo(_("Warning: {message}").format(message=warning), err=True)
    if report.problems:
        raise ScriptErrors(report.problems)
    click.echo(_("the schedule is OK from {first} to {last}: {programs} airings on {zones} zones").format(
        first=f"{plan.start:%d/%m/%Y}", last=f"{plan.last_day:%d/%m/%Y}", programs=len(report.occurrences),
        zones=len({o.zone for o in report.occurrences})))


@schedule.command("show")
@option("--week", "week", default=None, help=WEEK_HELP)
@pass_ctx
def schedule_show(ctx: Context, week: str | None) -> None:
    """Print the week: day, time, zones, items, program length and free time."""
    plan = service.week.plan_week(ctx.station, week, _now(ctx.station).date())
    warn_hidden(plan.hidden)
    click.echo(format_week(plan.rows, {r.id: r.name for r in ctx.station.relays}))


def warn_hidden(hidden) -> None:
    """Scripts left out of the plan, each with its error: the rest of the week goes on."""
    for problem in hidden:
        click.echo(_("Warning: {message}").format(message=problem), err=True)
        click.echo("  " + _("this script is left out of the schedule until it is fixed"), err=True)


def format_week(rows, relay_names: dict[str, str] | None = None) -> str:
    if not rows:
        return _("nothing scheduled this week")
    lines = [header((_("day"), "20"), (_("time"), "6"), (_("slot"), "14"), (_("length"), ">6"), (_("free"), ">6"),
                    (" " + _("zones / items"), ""))]
    for row in rows:
        lines.append(f"{row.weekday + ' ' + row.day.strftime('%d/%m/%Y'):20} {row.time:5}  {row.slot:14} "
                     f"{mmss(row.seconds):>6} {mmss(row.length - row.seconds):>6}  {', '.join(row.zones)}")
        lines.append(f"{'':58}" + (_("Relay: {name}").format(name=(relay_names or {}).get(row.relay, row.relay)) if row.relay else
                                   _("items: {items}").format(items=", ".join(row.items) or _("(none)"))))
    return "\n".join(lines)


@cli.group("queue")
def queue_group() -> None:
    """The officer's queue: scripts to air in a slot, on a date, or in the next slot."""


@queue_group.command("add")
@click.argument("script")
@option("--slot", default=None, help="Slot or event id (default: any slot).")
@option("--date", "date", default=None, type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
              help="Air on this date (default: the next matching slot).")
@option("--priority", type=click.Choice(["normal", "priority", "emergency"]), default="normal",
              show_default=True, help="priority: ahead of normal items; emergency: at once (playout).")
@option("--zone", default=None, help="Only this zone (default: every zone of the slot).")
@pass_ctx
def queue_add(ctx: Context, script: str, slot: str | None, date, priority: str, zone: str | None) -> None:
    """Queue SCRIPT (a script id) for broadcast."""
    queued = service.week.queue_add(ctx.station, script, _now(ctx.station), slot,
                                    date.date() if date else None, zone, priority)
    click.echo(format_queue([queued]))


@queue_group.command("list")
@pass_ctx
def queue_list(ctx: Context) -> None:
    """List queued requests and where each will air."""
    click.echo(format_queue(service.week.queue_list(ctx.station)))


@queue_group.command("remove")
@click.argument("entry_id", type=int)
@pass_ctx
def queue_remove(ctx: Context, entry_id: int) -> None:
    """Remove queue entry ENTRY_ID (see 'queue list')."""
    entry = service.week.queue_remove(ctx.station, entry_id)
    click.echo(_("removed {id}: {script}").format(id=entry.id, script=entry.script))


def format_queue(rows) -> str:
    if not rows:
        return _("the queue is empty")
    lines = [header(("id", ">5"), (_("script"), "28"), (_("priority"), "9"), (_("slot"), "12"), (_("date"), "10"),
                    (_("zone"), "14"), (_("airs in"), ""))]
    for queued in rows:
        entry, targets = queued.entry, queued.airs_in
        airs = ", ".join(targets) if targets else (_("at once (playout)") if entry.priority == "emergency"
                                                   else _("no matching slot"))
        lines.append(f"{entry.id:>4}  {entry.script:28} {entry.priority:9} {entry.slot or _('next'):12} "
                     f"{entry.date.strftime('%d/%m/%Y') if entry.date else '-':10} {entry.zone or _('all'):14} {airs}")
    return "\n".join(lines)


@cli.command()
@option("--simulate", is_flag=True, help="Run on a simulated clock: log what would air, to a file sink.")
@option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day of the simulation (default: today).")
@option("--days", type=click.IntRange(1, 366), default=7, show_default=True, help="Days to simulate.")
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Simulation output: as-run database and the file sink (default: out/simulation in the station folder).")
@pass_ctx
def run(ctx: Context, simulate: bool, first, days: int, out: Path | None) -> None:
    """Start the station daemon: air every program at its slot and log it (as-run)."""
    if simulate:
        day = first.date() if first else _now(ctx.station).date()
        simulated = service.playout.simulate(ctx.station, day, days, out)
        warn_hidden(simulated.hidden)
        click.echo(format_simulation(simulated))
        return
    service.playout.run_daemon(ctx.station)


def format_simulation(result) -> str:
    lines = [format_log(result.rows), "",
             ngettext("{count} airing: ", "{count} airings: ", len(result.rows)).format(count=len(result.rows))
             + ", ".join(f"{n} {_(STATUS_LABELS.get(status, status)).lower()}" for status, n in result.counts.items()),
             _("as-run log: {path}").format(path=result.db_path), _("file sink: {path}").format(path=result.sink)]
    return "\n".join(lines)


@cli.command("play-now")
@click.argument("what")
@option("--zone", default=None, help="Only this zone (default: all zones).")
@pass_ctx
def play_now(ctx: Context, what: str, zone: str | None) -> None:
    """Emergency: air WHAT (script id or audio file) at once, cutting what is playing."""
    click.echo(format_log(service.playout.emergency(ctx.station, what, [zone] if zone else None)))


@cli.command("link")
@click.argument("url")
@click.argument("code")
@pass_ctx
def link(ctx: Context, url: str, code: str) -> None:
    """Link the station to the province hub at URL with the one-time CODE the province gave."""
    linked = service.link.enrol(ctx.station, url, code)
    click.echo(_("Linked to the province hub {hub} ({url}); station id {station}. 'broadcast run' now syncs "
                 "with it.").format(hub=linked.hub, url=linked.url, station=linked.station_id))


@cli.command("unlink")
@pass_ctx
def unlink(ctx: Context) -> None:
    """Forget the link to the province hub (link.yaml)."""
    click.echo(_("The link to the province hub is forgotten.") if service.link.unlink(ctx.station)
               else _("The station was not linked to a province hub."))


@cli.command("sync")
@option("--interval", type=click.FloatRange(1, 3600), default=None,
        help="Seconds between two syncs (default 10).")
@pass_ctx
def sync(ctx: Context, interval: float | None) -> None:
    """Sync with the province hub until stopped ('broadcast run' does it by itself when linked)."""
    service.link.run_sync(ctx.station, interval)


@cli.command("log")
@option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None, help="From this date.")
@option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), default=None, help="To this date (inclusive).")
@option("--zone", default=None, help="Only this zone.")
@option("--status", type=click.Choice(["completed", "interrupted", "failed", "missed", "fallback", "playing"]),
              default=None, help="Only rows with this status.")
@option("--csv", "as_csv", is_flag=True, help="Print CSV (for spreadsheets) instead of a table.")
@option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Another as-run database (e.g. a simulation's).")
@pass_ctx
def log_command(ctx: Context, first, last, zone, status, as_csv: bool, db_path: Path | None) -> None:
    """Print the as-run log: what aired, when, where, and how it ended."""
    query = service.records.LogQuery(first.date() if first else None, last.date() if last else None, zone, status, db_path)
    found = service.records.as_run(ctx.station, query, now=_now(ctx.station))
    rows = found.rows
    if found.alert:
        click.echo(found.alert, err=True)
    click.echo(service.records.as_run_csv(rows) if as_csv else format_log(rows), nl=not as_csv)
    simulated = service.playout.simulation_folder(ctx.station) / "asrun.db"
    if not rows and db_path is None and simulated.exists():
        click.echo(_("The station's own log is empty; the simulation's log is {path}: "
                     "broadcast log --db {path}").format(path=simulated), err=True)



def format_log(rows) -> str:
    if not rows:
        return _("no as-run rows")
    width = str(max(len(_(label)) for label in STATUS_LABELS.values()))
    lines = [header((_("scheduled"), "16"), (_("started"), "8"), (_("zone"), "16"), (_("slot"), "14"),
                    (_("status"), width), (_("played"), ">7"), (" " + _("items / note"), ""))]
    for r in rows:
        started = r.started.strftime("%H:%M:%S") if r.started else "-"
        played = mmss(r.played_seconds) if r.played_seconds is not None else "-"
        note = _("Relay: {name}").format(name=r.relay_source) if r.is_relay else ", ".join(i.script for i in r.items)
        fell_back = _("read by the fallback voice {voice} ({reason})").format(voice=r.voice, reason=r.voice_fallback) \
            if r.voice_fallback else None
        for extra in (r.error, r.note, r.late_note, fell_back):
            if extra:
                note = (note + "; " if note else "") + extra
        lines.append(f"{r.scheduled:%d/%m/%Y %H:%M} {started:8} {r.zone:16} {r.slot:14} {_(STATUS_LABELS[r.status]):{width}} "
                     f"{played:>7}  {note}")
    return "\n".join(lines)


@cli.command()
@option("--period", required=True,
              help="2024-Q1 (quarter), 2024-H1 (half-year), 2024 (year), 2024-03 or 2024-03-01..2024-03-31.")
@option("--zone", default=None, help="Only this zone.")
@option("--format", "fmt", type=click.Choice(["table", "csv", "sheet", "html", "docx"]), default="table",
              show_default=True, help="docx: the Nghị định 30 administrative form, ready to sign; sheet: CSV that "
                                      "opens in Excel (Vietnamese headings, names); csv: codes, for other programs.")
@option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (required for docx).")
@option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Another as-run database (e.g. a simulation's).")
@pass_ctx
def report(ctx: Context, period: str, zone: str | None, fmt: str, out: Path | None, db_path: Path | None) -> None:
    """Report what aired in a period (quarter, half-year, year) for the district."""
    if fmt == "docx" and out is None:
        raise click.UsageError(_("--format docx needs -o FILE.docx"))
    built = service.records.build_report(ctx.station, period, zone, db_path)
    click.echo(service.records.write_report(ctx.station, built, fmt, _now(ctx.station).date(), out),
               nl=fmt not in ("csv", "sheet") or out is not None)


@cli.group(invoke_without_command=True)
@option("--check", is_flag=True, help="Also try the network services: gTTS's connection, and a sentence read by "
                                      "each online voice that has a key (seconds).")
@click.pass_context
def voices(click_ctx: click.Context, check: bool) -> None:
    """List speech engines and voices, and whether each can be used now (and why not)."""
    if click_ctx.invoked_subcommand is None:
        ctx = click_ctx.find_object(Context)
        lines = [header((_("engine"), "8"), (_("in chain"), "9"), (_("usable"), "10"), (_("voices / why not"), ""))]
        engines = service.voices.list_voices(ctx.station, check)
        for engine in engines:
            usable = _("yes") if engine.available else _("no")
            lines.append(f"{engine.name:8} {engine.position or '-':<9} {usable:10} "
                         f"{voices_or_why(engine)}")
        click.echo("\n".join(lines + [""] + format_voice_figures(service.voices.voice_figures(engines))))


def format_voice_figures(figures) -> list[str]:
    """How well each voice is understood (the bench's word error rate) and how to get a better one."""
    lines = [_("How well villagers understand each voice (words a speech recognizer misheard, "
               "measured on commune news):")]
    for figure in figures:
        said = figure.measured.words() if figure.measured else _("not measured")
        lines.append(f"  {figure.engine + ':' + figure.voice:30} {said}")
    lines.append(_("A human announcer: about 10 %. For a voice that is easier to understand:"))
    return lines + [f"  {n}. {road}" for n, road in enumerate(service.voices.better_voice(), 1)]


def voices_or_why(engine) -> str:
    if not engine.available:
        return engine.reason
    return ", ".join(engine.voices) + (f" ({engine.reason})" if engine.reason else "")


@voices.command("add")
@click.argument("model", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
def voices_add(ctx: Context, model: Path) -> None:
    """Check a piper voice (MODEL.onnx + MODEL.onnx.json) and install it in voices/."""
    installed = service.voices.add_voice(ctx.station, model)
    click.echo(_("installed {path}; to use it, set in station.yaml:").format(path=installed)
               + f"\nspeech:\n  engines: [piper, espeak]\n  piper_voice: {installed}")


@voices.command("install")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@pass_ctx
def voices_install(ctx: Context, path: Path) -> None:
    """Check and install a voice file: a piper NAME.onnx (with NAME.onnx.json), or a korvatts model folder or .zip."""
    done = service.voices.install_voice_file(ctx.station, path, None, _now(ctx.station))
    relative = done.path.relative_to(ctx.station.root)
    click.echo(_("installed {path} ({engine}; voices: {voices})").format(
        path=relative, engine=done.engine, voices=", ".join(done.voices)))
    if done.licence:
        click.echo(_("Its licence:") + "\n" + done.licence.strip())
    setting = "piper_voice" if done.engine == "piper" else "korvatts_voice"
    click.echo(_("to use it, set in station.yaml:") + f"\nspeech:\n  engines: [{done.engine}, espeak]\n"
               f"  {setting}: {relative}")


@voices.command("key")
@click.argument("engine", type=click.Choice(["fpt", "viettel", "google"]))
@option("--remove", is_flag=True, help="Remove the key.")
@pass_ctx
def voices_key(ctx: Context, engine: str, remove: bool) -> None:
    """Set ENGINE's key from stdin (first line; asked, hidden, on a terminal): never on the command line."""
    if remove:
        key = ""
    elif click.get_text_stream("stdin").isatty():
        key = click.prompt(_("Key"), hide_input=True)
    else:
        key = click.get_text_stream("stdin").readline().strip()
        if not key:
            raise click.UsageError(_("no key on stdin"))
    service.voices.set_key(ctx.station, engine, key, None, _now(ctx.station))
    status = next(s for s in service.voices.key_status(ctx.station) if s.engine == engine)
    click.echo(_("{engine}: key removed").format(engine=engine) if remove else
               _("{engine}: key set ({shown}); try it: broadcast voices check {engine}").format(
                   engine=engine, shown=status.shown))


@voices.command("check")
@click.argument("engine")
@pass_ctx
def voices_check(ctx: Context, engine: str) -> None:
    """Voice a short sentence with ENGINE: works, wrong key, quota used up or no network, and how long it took."""
    result = service.voices.check_voice(ctx.station, engine)
    if not result.ok:
        raise EngineError(f"{engine}: {result.text}")
    click.echo(f"{engine}: {result.text}")


@voices.command("try")
@click.argument("engine_voice")
@click.argument("text")
@option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("out/thu-giong.wav"),
              show_default=True, help="Where to write the sample.")
@pass_ctx
def voices_try(ctx: Context, engine_voice: str, text: str, out: Path) -> None:
    """Render TEXT with ENGINE[:VOICE] (e.g. espeak:vi-VN-x-south) to a WAV file."""
    result = service.voices.sample_voice(ctx.station, engine_voice, text, out)
    click.echo(_("wrote {path} ({engine}, {seconds:.1f} s, synthesized in {took:.2f} s)").format(
        path=result.path, engine=result.engine, seconds=result.seconds, took=result.took))


@cli.command()
@option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network card, for phones on the station's LAN).")
@option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port to listen on.")
@pass_ctx
def web(ctx: Context, host: str, port: int) -> None:
    """Start the web console (Vietnamese) over this station's folder and database."""
    import uvicorn

    from broadcast.web.app import create_app

    click.echo(_("web console: http://{host}:{port}/  (Ctrl-C to stop)").format(host=host, port=port))
    uvicorn.run(create_app(ctx.station), host=host, port=port, log_level="warning", access_log=False)


@cli.group(invoke_without_command=True)
@option("--db", "dsn", envvar="BROADCAST_HUB_DB", default="",
        help="The hub's PostgreSQL, e.g. postgresql://hub@localhost/hub (the password in ~/.pgpass, never here).")
@option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (behind the reverse proxy).")
@option("--port", type=click.IntRange(1, 65535), default=8090, show_default=True, help="Port to listen on.")
@option("--name", default="", help="The hub's name, shown on the stations.")
@option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
        help="Worker processes (2 on a 2-core server: see docs/hub-scaling.md).")
@click.pass_context
def hub(ctx: click.Context, dsn: str, host: str, port: int, name: str, workers: int) -> None:
    """The province hub: run it (without a command), or manage its communes."""
    ctx.obj.hub_dsn = dsn
    if ctx.invoked_subcommand is not None:
        return
    service.hub.check_dsn(dsn)
    import uvicorn

    from broadcast.web.hub.pages import console_app

    click.echo(_("province hub: http://{host}:{port}/api/v1  (Ctrl-C to stop)").format(host=host, port=port))
    serve = dict(host=host, port=port, log_level="warning", access_log=False, timeout_keep_alive=75)
    if workers == 1:
        uvicorn.run(console_app(service.hub_console.open_hub(dsn, name), _utc_now), **serve)  # /api/v1 + console
        return
    with service.hub.connect(dsn) as conn:       # once, before the workers start
        service.hub.migrate(conn)
    os.environ.update(BROADCAST_HUB_DB=dsn, BROADCAST_HUB_NAME=name)     # each worker builds its app (pages.served)
    uvicorn.run("broadcast.web.hub.pages:served", factory=True, workers=workers, **serve)


def _hub_action(ctx: Context, action, *args):
    """ACTION(conn, *args) on the hub's database, its tables first brought up to date."""
    with service.hub.connect(ctx.hub_dsn) as conn:
        service.hub.migrate(conn)
        return action(conn, *args)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@hub.command("migrate")
@pass_ctx
def hub_migrate(ctx: Context) -> None:
    """Create or update the hub's tables."""
    with service.hub.connect(ctx.hub_dsn) as conn:
        done = service.hub.migrate(conn)
    click.echo(_("applied: {names}").format(names=", ".join(done)) if done else _("the hub's tables are up to date"))


@hub.group("commune")
def hub_commune() -> None:
    """The communes (stations) of the province."""


@hub_commune.command("add")
@click.argument("station_id")
@click.argument("name")
@option("--group", default=None, help="The group (cụm) it belongs to; created when new.")
@pass_ctx
def hub_commune_add(ctx: Context, station_id: str, name: str, group: str | None) -> None:
    """Add commune STATION_ID (e.g. xa-tan-lap) named NAME."""
    station = _hub_action(ctx, service.hub.add_commune, station_id, name, _utc_now(), group)
    click.echo(_("added {id} ({name}); give it a code: broadcast hub code {id}").format(id=station.id,
                                                                                        name=station.name))


@hub.command("code")
@click.argument("station_id")
@option("--by", default="quan-tri", show_default=True, help="Who creates the code (kept with it).")
@pass_ctx
def hub_code(ctx: Context, station_id: str, by: str) -> None:
    """A new one-time enrolment code for STATION_ID (valid 7 days, shown once)."""
    code = _hub_action(ctx, service.hub.new_code, station_id, by, _utc_now())
    click.echo(_("enrolment code for {id}: {code}  (valid 7 days, used once; at the station: "
                 "broadcast link URL {code})").format(id=station_id, code=code))


@hub.command("revoke")
@click.argument("station_id")
@pass_ctx
def hub_revoke(ctx: Context, station_id: str) -> None:
    """Revoke STATION_ID's token at once (it links again with a new code)."""
    _hub_action(ctx, service.hub.revoke, station_id, _utc_now())
    click.echo(_("{id}: link revoked; the station's requests are refused from now on").format(id=station_id))


@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@option("--base-url", required=True, help="Where OUT will be on the commune's website, e.g. https://xa.gov.vn/tin/.")
@pass_ctx
def publish(ctx: Context, out: Path, base_url: str) -> None:
    """Write the aired, approved news as a static website with a podcast feed into OUT."""
    from broadcast.web.app import make_templates
    from broadcast.web.views.website import export

    written = export(ctx.station, make_templates(), out, base_url)
    pages = sum(1 for p in written if p.suffix == ".html") - 1
    click.echo(ngettext("wrote {count} item page, its audio and rss.xml into {path}",
                        "wrote {count} item pages, their audio and rss.xml into {path}", pages)
               .format(count=pages, path=out))


@cli.group()
def users() -> None:
    """Console users: admin, editor (biên tập viên), approver (người duyệt), viewer (xem)."""


def _password(stdin: bool) -> str:
    if stdin:
        return click.get_text_stream("stdin").readline().rstrip("\r\n")
    return click.prompt(_("Password"), hide_input=True, confirmation_prompt=_("Password again"))


@users.command("add")
@click.argument("name")
@option("--role", type=click.Choice(["admin", "editor", "approver", "viewer"]), required=True,
              help="admin: users and settings; editor: writes and queues items; approver: approves items; "
                   "viewer: looks only.")
@option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_ctx
def users_add(ctx: Context, name: str, role: str, password_stdin: bool) -> None:
    """Create console user NAME with ROLE (asks the password twice)."""
    user = service.users.add_user(ctx.station, name, role, _password(password_stdin), _now(ctx.station))
    click.echo(_("created {name} ({role})").format(name=user.name, role=user.role_label))


@users.command("list")
@pass_ctx
def users_list(ctx: Context) -> None:
    """List console users and their roles."""
    found = service.users.list_users(ctx.station)
    disabled = _("disabled")
    click.echo("\n".join(f"{u.name:24} {u.role_label:14} {disabled if u.disabled else ''}" for u in found)
               or _("no users yet: broadcast users add NAME --role admin"))


@users.command("remove")
@click.argument("name")
@pass_ctx
def users_remove(ctx: Context, name: str) -> None:
    """Delete console user NAME (signs them out)."""
    service.users.remove_user(ctx.station, name, _now(ctx.station))
    click.echo(_("deleted {name}").format(name=name))


@users.command("passwd")
@click.argument("name")
@option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_ctx
def users_passwd(ctx: Context, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME (signs them out everywhere)."""
    service.users.set_password(ctx.station, name, _password(password_stdin), _now(ctx.station))
    click.echo(_("changed the password of {name}").format(name=name))


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--by", default=None, help="Who imports it (written into each item).")
@pass_ctx
def import_document(ctx: Context, file: Path, by: str | None) -> None:
    """Nhập văn bản: read FILE (.docx, PDF, scan or photo) into draft news items in scripts/.

    Each section of the document becomes a draft (Nháp), without the document's heading,
    recitals and signatures. Drafts from a document do not air until someone has read them in
    the console (or sent them for approval)."""
    def progress(done: int, total: int) -> None:
        click.echo(_("read {done} of {total} pages").format(done=done, total=total), err=True)

    job, saved = service.intake.import_file(ctx.station, file, by, _now(ctx.station), progress)
    click.echo(ngettext("{name}: {count} draft item", "{name}: {count} draft items", len(saved)).format(
        name=job.name, count=len(saved)))
    for proposal, item in zip(job.proposals, saved):
        pages = ", ".join(map(str, proposal.pages))
        click.echo(_("  {id}  page {pages}  topic {topic} ({sure})  {title}").format(
            id=item.id, pages=pages, topic=item.topic, sure=certainty(proposal.confidence), title=item.title))
        for note in proposal.flagged:
            click.echo(_("    to check: {note}").format(note=note))
        if proposal.marked:
            click.echo(ngettext("    {count} paragraph looks like it lost its diacritics: compare it with the page",
                                "    {count} paragraphs look like they lost their diacritics: compare them with the page",
                                len(proposal.marked)).format(count=len(proposal.marked)))


@cli.group()
def items() -> None:
    """News items and their approval: Nháp → Chờ duyệt → Đã duyệt."""


@items.command("list")
@pass_ctx
def items_list(ctx: Context) -> None:
    """Each item with its approval status."""

    for item in service.scripts.list_scripts(ctx.station).items:
        click.echo(f"{item.id:32} {_(ITEM_LABELS[service.approval.status(ctx.station, item)]):10} {item.title}")


def _approval_step(ctx: Context, step: str, item_id: str, by: str, *args) -> None:

    fn = {"submit": service.approval.submit, "approve": service.approval.approve,
          "return": service.approval.send_back}[step]
    item = fn(ctx.station, item_id, by, _now(ctx.station), *args)
    click.echo(f"{item.id}: {_(ITEM_LABELS[service.approval.status(ctx.station, item)])}")


@items.command("submit")
@click.argument("item_id")
@option("--by", required=True, help="Who sends it for approval.")
@pass_ctx
def items_submit(ctx: Context, item_id: str, by: str) -> None:
    """Gửi duyệt: send ITEM_ID for approval."""
    _approval_step(ctx, "submit", item_id, by)


@items.command("approve")
@click.argument("item_id")
@option("--by", required=True, help="Who approves it.")
@pass_ctx
def items_approve(ctx: Context, item_id: str, by: str) -> None:
    """Duyệt: approve ITEM_ID for air (this version)."""
    _approval_step(ctx, "approve", item_id, by)


@items.command("return")
@click.argument("item_id")
@option("--by", required=True, help="Who returns it.")
@option("--comment", required=True, help="What to change.")
@pass_ctx
def items_return(ctx: Context, item_id: str, by: str, comment: str) -> None:
    """Trả lại: send ITEM_ID back to its writer with a comment."""
    _approval_step(ctx, "return", item_id, by, comment)


@items.command("record")
@click.argument("item_id")
@click.argument("audio", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--by", required=True, help="Who read it.")
@pass_ctx
def items_record(ctx: Context, item_id: str, audio: Path, by: str) -> None:
    """Thu âm: make AUDIO (a reading of ITEM_ID) the item's audio, cleaned (noise, silence, loudness)."""
    done = service.recording.record_item(ctx.station, item_id, audio, audio.name, by, _now(ctx.station))
    click.echo(_("{id}: {file}, {length}; {start} s of silence cut before and {end} s after; background noise "
                 "lowered by {noise} dB; {lufs} LUFS, {peak} dBTP").format(
        id=item_id, file=done.file, length=mmss(done.seconds), start=done.trimmed_start, end=done.trimmed_end,
        noise=done.noise_reduction, lufs=done.lufs, peak=done.true_peak))



@hub.group("user")
def hub_user() -> None:
    """The province console's users: quan-tri-tinh (Quản trị tỉnh), bien-tap-tinh (Biên tập tỉnh), xem (Xem)."""


@hub_user.command("add")
@click.argument("name")
@option("--role", type=click.Choice(["quan-tri-tinh", "bien-tap-tinh", "xem"]), required=True,
        help="quan-tri-tinh: communes, codes, tokens; bien-tap-tinh: sends bulletins; xem: looks only.")
@option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_ctx
def hub_user_add(ctx: Context, name: str, role: str, password_stdin: bool) -> None:
    """Create province console user NAME with ROLE (asks the password twice)."""
    province = service.hub_console.open_hub(service.hub.check_dsn(ctx.hub_dsn))
    service.hub_console.migrate(province)
    user = service.hub_accounts.add_user(province, name, role, _password(password_stdin), _utc_now(), by="cli")
    click.echo(_("created {name} ({role})").format(name=user.name, role=service.hub_accounts.role_label(user.role)))


@hub_user.command("list")
@pass_ctx
def hub_user_list(ctx: Context) -> None:
    """List the province console's users and their roles."""
    province = service.hub_console.open_hub(service.hub.check_dsn(ctx.hub_dsn))
    service.hub_console.migrate(province)
    found = service.hub_accounts.list_users(province)
    click.echo("\n".join(f"{u.name:24} {service.hub_accounts.role_label(u.role)}" for u in found)
               or _("no users yet: broadcast hub user add NAME --role quan-tri-tinh"))


@hub_user.command("passwd")
@click.argument("name")
@option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_ctx
def hub_user_passwd(ctx: Context, name: str, password_stdin: bool) -> None:
    """Set a new password for province console user NAME (signs her out everywhere)."""
    province = service.hub_console.open_hub(service.hub.check_dsn(ctx.hub_dsn))
    service.hub_accounts.set_password(province, name, _password(password_stdin), _utc_now(), by="cli")
    click.echo(_("password changed for {name}").format(name=name))


def main(argv: list[str] | None = None) -> None:
    i18n.use_language(i18n.language())         # click's own texts too, until --lang or the station says
    try:
        code = cli.main(args=argv, prog_name="broadcast", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(_("Aborted!"), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BroadcastError as exc:
        click.echo(_("Error: {message}").format(message=exc), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
