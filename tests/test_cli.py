import click

from broadcast.cli import cli


def _commands(group: click.Group, prefix=""):
    for name, command in group.commands.items():
        yield prefix + name, command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + name + " ")


def test_every_command_has_help_text():
    missing = [name for name, command in _commands(cli) if not (command.help or "").strip()]
    assert not missing
    for name, command in _commands(cli):
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts} has no help"
