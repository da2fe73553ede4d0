"""Every command, option and config key is documented (the datasette test_docs idea)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from generator.cli import cli
from generator.config import config_text, iter_options

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "crmproof"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_is_in_the_readme_and_has_help(path, command):
    assert f"`{path}" in README, f"README's Commands table does not mention {path}"
    assert (command.help or "").strip(), f"{path} has no --help text"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_option_is_documented(path, command):
    for param in command.params:
        if not isinstance(param, click.Option) or param.name == "help" or param.hidden:
            continue
        assert (param.help or "").strip(), f"{path} {param.opts[0]} has no help text"
        flag = max(param.opts, key=len)
        assert f"`{flag}" in README or f"{flag}`" in README or f"{flag}," in README, (
            f"README does not mention {path} {flag}")


@pytest.mark.parametrize(("key", "option"), list(iter_options()),
                         ids=[k for k, _ in iter_options()])
def test_every_config_key_is_documented(key, option):
    assert option.help.strip(), f"config key {key} has no help text"
    leaf = key.rsplit(".", 1)[-1]
    text = config_text()
    assert f"{leaf}:" in text and option.help.split(".")[0][:30] in " ".join(text.split())
    assert f"`{key}`" in README, f"README does not document config key {key}"
