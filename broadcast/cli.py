"""Command line: thin click commands over the library. `main` is the one place that
turns errors into messages and exit codes."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import click

from broadcast import service
from broadcast.errors import BroadcastError, ScriptErrors
from broadcast.schedule.checks import mmss
from broadcast.station.settings import Station


class Context:
    def __init__(self, root: Path):
        self.root = root
        self._station: Station | None = None

    @property
    def station(self) -> Station:
        if self._station is None:
            self._station = service.station.open_station(self.root)
        return self._station


pass_ctx = click.make_pass_decorator(Context)


@click.group()
@click.option("--station", "-S", "root", default=".", envvar="BROADCAST_STATION", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Station folder (holds station.yaml).")
@click.option("--verbose", "-v", is_flag=True, help="Log what happens, including engine fallbacks.")
@click.version_option(package_name="broadcast")
@click.pass_context
def cli(ctx: click.Context, root: Path, verbose: bool) -> None:
    """broadcast: radio automation for commune loudspeaker stations (Đài truyền thanh xã)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(root)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pass_ctx
def check(ctx: Context, paths: tuple[Path, ...]) -> None:
    """Validate news scripts (default: the station's scripts/ folder)."""
    result = service.scripts.lint_scripts(ctx.station, list(paths))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.problems:
        raise ScriptErrors(result.problems)
    click.echo(f"{len(result.items)} script(s) OK")


@cli.command()
@click.argument("text", required=False)
@pass_ctx
def normalize(ctx: Context, text: str | None) -> None:
    """Print TEXT as it will be read aloud; without TEXT, read stdin line by line."""
    normalizer = service.reading.normalizer(ctx.station)
    if text is not None:
        click.echo(normalizer.normalize(text))
        return
    for line in click.get_text_stream("stdin"):
        click.echo(normalizer.normalize_line(line.rstrip("\n")))


@cli.command()
@click.argument("scripts", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file: .wav or .flac for playout, .mp3 for publishing.")
@click.option("--mp3", is_flag=True, help="Also write an MP3 copy for publishing.")
@click.option("--week", "week", is_flag=False, flag_value="this", default=None,
              help="Instead: render every program the schedule airs that week (2024-W12, a date, or this week).")
@pass_ctx
def render(ctx: Context, scripts: tuple[Path, ...], out: Path | None, mp3: bool, week: str | None) -> None:
    """Render one bulletin from SCRIPTS (files or folders) into OUT, or a week's programs."""
    if week is not None:
        with click.progressbar(length=1, label="rendering the week", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            start, end, rendered = service.render.render_week(ctx.station, None if week == "this" else week,
                                                              _now(ctx.station).date(), progress)
        click.echo(f"{start} to {end - dt.timedelta(days=1)}")
        click.echo(format_week_render(rendered))
        return
    if not scripts or out is None:
        raise click.UsageError("give SCRIPTS and -o OUT, or --week")
    click.echo(format_render(service.render.render_bulletin(ctx.station, list(scripts), out, mp3)))


def format_week_render(rendered) -> str:
    if not rendered:
        return "no program to render that week"
    lines = [f"{'first airs':16} {'slot':14} {'zones':>5} {'length':>7}  items (engine)"]
    for program in rendered:
        items = ", ".join(f"{i['id']} ({i['engine']})" for i in program.items) or program.problem
        lines.append(f"{program.first:%Y-%m-%d %H:%M} {program.slot:14} {program.zones:>5} "
                     f"{mmss(program.seconds):>7}  {items}")
    fresh = sum(1 for p in rendered if p.fresh)
    lines.append(f"{len(rendered)} program(s): {fresh} rendered now, {len(rendered) - fresh} already in the cache")
    return "\n".join(lines)


def format_render(result) -> str:
    lines = [f"{'item':32} {'engine':8} {'seconds':>8}  note"]
    for item in result.items:
        note = ("fallback: " + "; ".join(item.fallbacks)) if item.fallbacks else ("cached" if item.cached else "")
        lines.append(f"{item.id:32} {item.engine:8} {item.duration:8.1f}  {note}")
    lines.append(f"wrote {result.path} ({result.format}{', reused from cache' if result.reused else ''})")
    lines.append(f"duration {result.duration:.1f} s, loudness {result.loudness:.1f} LUFS, "
                 f"true peak {result.true_peak:.1f} dBTP")
    if result.mp3:
        lines.append(f"wrote {result.mp3} (mp3 for publishing)")
    return "\n".join(lines)


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into (default: the station's audio/jingles).")
@pass_ctx
def jingles(ctx: Context, out: Path | None) -> None:
    """Regenerate the project's own jingles (intro, outro, separator, bed)."""
    for path in service.render.write_jingles(ctx.station, out):
        click.echo(f"wrote {path}")


def _now(station: Station) -> dt.datetime:
    return service.station.now(station)


WEEK_HELP = "Week to use: 2024-W12, or a date in it (default: this week)."


@cli.group()
def schedule() -> None:
    """Check and show the weekly loudspeaker schedule (schedules/*.yaml)."""


@schedule.command("check")
@click.option("--week", "week", default=None, help=WEEK_HELP)
@pass_ctx
def schedule_check(ctx: Context, week: str | None) -> None:
    """Find overlaps, overruns, unknown or expired scripts before they go on air."""
    plan = service.week.plan_week(ctx.station, week, _now(ctx.station).date())
    report = plan.check
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.problems:
        raise ScriptErrors(report.problems)
    click.echo(f"schedule OK for {plan.start} to {plan.last_day}: "
               f"{len(report.occurrences)} program(s) on {len({o.zone for o in report.occurrences})} zone(s)")


@schedule.command("show")
@click.option("--week", "week", default=None, help=WEEK_HELP)
@pass_ctx
def schedule_show(ctx: Context, week: str | None) -> None:
    """Print the week: day, time, zones, items, program length and free time."""
    click.echo(format_week(service.week.plan_week(ctx.station, week, _now(ctx.station).date()).rows))


def format_week(rows) -> str:
    if not rows:
        return "nothing scheduled this week"
    lines = [f"{'ngày':20} {'giờ':5}  {'slot':14} {'length':>6} {'free':>6}  zones / items"]
    for row in rows:
        lines.append(f"{row.weekday + ' ' + row.day.strftime('%d/%m/%Y'):20} {row.time:5}  {row.slot:14} "
                     f"{mmss(row.seconds):>6} {mmss(row.length - row.seconds):>6}  {', '.join(row.zones)}")
        lines.append(f"{'':58}items: {', '.join(row.items) or '(none)'}")
    return "\n".join(lines)


@cli.group("queue")
def queue_group() -> None:
    """The officer's queue: scripts to air in a slot, on a date, or in the next slot."""


@queue_group.command("add")
@click.argument("script")
@click.option("--slot", default=None, help="Slot or event id (default: any slot).")
@click.option("--date", "date", default=None, type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
              help="Air on this date (default: the next matching slot).")
@click.option("--priority", type=click.Choice(["normal", "priority", "emergency"]), default="normal",
              show_default=True, help="priority: ahead of normal items; emergency: at once (playout).")
@click.option("--zone", default=None, help="Only this zone (default: every zone of the slot).")
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
    click.echo(f"removed {entry.id}: {entry.script}")


def format_queue(rows) -> str:
    if not rows:
        return "the queue is empty"
    lines = [f"{'id':>4}  {'script':28} {'priority':9} {'slot':12} {'date':10} {'zone':14} airs in"]
    for queued in rows:
        entry, targets = queued.entry, queued.airs_in
        airs = ", ".join(targets) if targets else ("at once (playout)" if entry.priority == "emergency"
                                                   else "no matching slot")
        lines.append(f"{entry.id:>4}  {entry.script:28} {entry.priority:9} {entry.slot or 'next':12} "
                     f"{entry.date.isoformat() if entry.date else '-':10} {entry.zone or 'all':14} {airs}")
    return "\n".join(lines)


@cli.command()
@click.option("--simulate", is_flag=True, help="Run on a simulated clock: log what would air, to a file sink.")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day of the simulation (default: today).")
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True, help="Days to simulate.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out/simulation"),
              show_default=True, help="Simulation output: as-run database and the file sink.")
@pass_ctx
def run(ctx: Context, simulate: bool, first, days: int, out: Path) -> None:
    """Start the station daemon: air every program at its slot and log it (as-run)."""
    if simulate:
        day = first.date() if first else _now(ctx.station).date()
        click.echo(format_simulation(service.playout.simulate(ctx.station, day, days, out)))
        return
    service.playout.run_daemon(ctx.station)


def format_simulation(result) -> str:
    lines = [format_log(result.rows), "",
             f"{len(result.rows)} airing(s): " + ", ".join(f"{n} {status}" for status, n in result.counts.items()),
             f"as-run log: {result.db_path}", f"file sink: {result.sink}"]
    return "\n".join(lines)


@cli.command("play-now")
@click.argument("what")
@click.option("--zone", default=None, help="Only this zone (default: all zones).")
@pass_ctx
def play_now(ctx: Context, what: str, zone: str | None) -> None:
    """Emergency: air WHAT (script id or audio file) at once, cutting what is playing."""
    click.echo(format_log(service.playout.emergency(ctx.station, what, [zone] if zone else None)))


@cli.command("log")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None, help="From this date.")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), default=None, help="To this date (inclusive).")
@click.option("--zone", default=None, help="Only this zone.")
@click.option("--status", type=click.Choice(["completed", "interrupted", "failed", "missed", "fallback", "playing"]),
              default=None, help="Only rows with this status.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (for spreadsheets) instead of a table.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Another as-run database (e.g. a simulation's).")
@pass_ctx
def log_command(ctx: Context, first, last, zone, status, as_csv: bool, db_path: Path | None) -> None:
    """Print the as-run log: what aired, when, where, and how it ended."""
    query = service.records.LogQuery(first.date() if first else None, last.date() if last else None, zone, status, db_path)
    rows = service.records.as_run(ctx.station, query).rows
    click.echo(service.records.as_run_csv(rows) if as_csv else format_log(rows), nl=not as_csv)


def format_log(rows) -> str:
    if not rows:
        return "no as-run rows"
    lines = [f"{'scheduled':16} {'started':8} {'zone':16} {'slot':14} {'status':11} {'played':>7}  items / note"]
    for r in rows:
        started = r.started.strftime("%H:%M:%S") if r.started else "-"
        played = mmss(r.played_seconds) if r.played_seconds is not None else "-"
        note = ", ".join(i.script for i in r.items) or ""
        for extra in (r.error, r.note):
            if extra:
                note = (note + "; " if note else "") + extra
        lines.append(f"{r.scheduled:%Y-%m-%d %H:%M} {started:8} {r.zone:16} {r.slot:14} {r.status:11} "
                     f"{played:>7}  {note}")
    return "\n".join(lines)


@cli.command()
@click.option("--period", required=True,
              help="2024-Q1 (quarter), 2024-H1 (half-year), 2024 (year), 2024-03 or 2024-03-01..2024-03-31.")
@click.option("--zone", default=None, help="Only this zone.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "html", "docx"]), default="table",
              show_default=True, help="docx: the Nghị định 30 administrative form, ready to sign.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (required for docx).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Another as-run database (e.g. a simulation's).")
@pass_ctx
def report(ctx: Context, period: str, zone: str | None, fmt: str, out: Path | None, db_path: Path | None) -> None:
    """Report what aired in a period (quarter, half-year, year) for the district."""
    if fmt == "docx" and out is None:
        raise click.UsageError("--format docx needs -o FILE.docx")
    built = service.records.build_report(ctx.station, period, zone, db_path)
    click.echo(service.records.write_report(ctx.station, built, fmt, _now(ctx.station).date(), out),
               nl=fmt != "csv" or out is not None)


@cli.group(invoke_without_command=True)
@click.pass_context
def voices(click_ctx: click.Context) -> None:
    """List speech engines and voices, and whether each can be used now (and why not)."""
    if click_ctx.invoked_subcommand is None:
        ctx = click_ctx.find_object(Context)
        lines = [f"{'engine':8} {'in chain':9} {'available':10} voices / why not"]
        for engine in service.voices.list_voices(ctx.station):
            lines.append(f"{engine.name:8} {engine.position or '-':<9} {'yes' if engine.available else 'no':10} "
                         f"{', '.join(engine.voices) if engine.available else engine.reason}")
        click.echo("\n".join(lines))


@voices.command("add")
@click.argument("model", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
def voices_add(ctx: Context, model: Path) -> None:
    """Check a piper voice (MODEL.onnx + MODEL.onnx.json) and install it in voices/."""
    installed = service.voices.add_voice(ctx.station, model)
    click.echo(f"installed {installed}; to use it, set in station.yaml:\n"
               f"speech:\n  engines: [piper, espeak]\n  piper_voice: {installed}")


@voices.command("try")
@click.argument("engine_voice")
@click.argument("text")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("out/thu-giong.wav"),
              show_default=True, help="Where to write the sample.")
@pass_ctx
def voices_try(ctx: Context, engine_voice: str, text: str, out: Path) -> None:
    """Render TEXT with ENGINE[:VOICE] (e.g. espeak:vi-VN-x-south) to a WAV file."""
    result = service.voices.sample_voice(ctx.station, engine_voice, text, out)
    click.echo(f"wrote {result.path} ({result.engine}, {result.seconds:.1f} s, synthesized in {result.took:.2f} s)")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network card, for phones on the station's LAN).")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port to listen on.")
@pass_ctx
def web(ctx: Context, host: str, port: int) -> None:
    """Start the web console (Vietnamese) over this station's folder and database."""
    import uvicorn

    from broadcast.web.app import create_app

    click.echo(f"trang quản lý: http://{host}:{port}/  (Ctrl-C để dừng)")
    uvicorn.run(create_app(ctx.station), host=host, port=port, log_level="warning", access_log=False)


@cli.group()
def users() -> None:
    """Console users: admin, editor (biên tập viên), approver (người duyệt), viewer (xem)."""


def _password(stdin: bool) -> str:
    if stdin:
        return click.get_text_stream("stdin").readline().rstrip("\r\n")
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "editor", "approver", "viewer"]), required=True,
              help="admin: users and settings; editor: writes and queues items; approver: approves items; "
                   "viewer: looks only.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_ctx
def users_add(ctx: Context, name: str, role: str, password_stdin: bool) -> None:
    """Create console user NAME with ROLE (asks the password twice)."""
    user = service.users.add_user(ctx.station, name, role, _password(password_stdin), _now(ctx.station))
    click.echo(f"đã tạo {user.name} ({user.role_label})")


@users.command("list")
@pass_ctx
def users_list(ctx: Context) -> None:
    """List console users and their roles."""
    found = service.users.list_users(ctx.station)
    click.echo("\n".join(f"{u.name:24} {u.role_label:14} {'đã khóa' if u.disabled else ''}" for u in found)
               or "chưa có người dùng: broadcast users add NAME --role admin")


@users.command("remove")
@click.argument("name")
@pass_ctx
def users_remove(ctx: Context, name: str) -> None:
    """Delete console user NAME (signs them out)."""
    service.users.remove_user(ctx.station, name, _now(ctx.station))
    click.echo(f"đã xóa {name}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_ctx
def users_passwd(ctx: Context, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME (signs them out everywhere)."""
    service.users.set_password(ctx.station, name, _password(password_stdin), _now(ctx.station))
    click.echo(f"đã đổi mật khẩu của {name}")


@cli.group()
def items() -> None:
    """News items and their approval: Nháp → Chờ duyệt → Đã duyệt."""


@items.command("list")
@pass_ctx
def items_list(ctx: Context) -> None:
    """Each item with its approval status."""
    from broadcast.service.approval import LABELS

    for item in service.scripts.list_scripts(ctx.station).items:
        click.echo(f"{item.id:32} {LABELS[service.approval.status(ctx.station, item)]:10} {item.title}")


def _approval_step(ctx: Context, step: str, item_id: str, by: str, *args) -> None:
    from broadcast.service.approval import LABELS

    fn = {"submit": service.approval.submit, "approve": service.approval.approve,
          "return": service.approval.send_back}[step]
    item = fn(ctx.station, item_id, by, _now(ctx.station), *args)
    click.echo(f"{item.id}: {LABELS[service.approval.status(ctx.station, item)]}")


@items.command("submit")
@click.argument("item_id")
@click.option("--by", required=True, help="Who sends it for approval.")
@pass_ctx
def items_submit(ctx: Context, item_id: str, by: str) -> None:
    """Gửi duyệt: send ITEM_ID for approval."""
    _approval_step(ctx, "submit", item_id, by)


@items.command("approve")
@click.argument("item_id")
@click.option("--by", required=True, help="Who approves it.")
@pass_ctx
def items_approve(ctx: Context, item_id: str, by: str) -> None:
    """Duyệt: approve ITEM_ID for air (this version)."""
    _approval_step(ctx, "approve", item_id, by)


@items.command("return")
@click.argument("item_id")
@click.option("--by", required=True, help="Who returns it.")
@click.option("--comment", required=True, help="What to change.")
@pass_ctx
def items_return(ctx: Context, item_id: str, by: str, comment: str) -> None:
    """Trả lại: send ITEM_ID back to its writer with a comment."""
    _approval_step(ctx, "return", item_id, by, comment)


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="broadcast", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BroadcastError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
