"""`crmproof init`: a starter project — a commented crmproof.yml and a content/ folder.

The YAML is generated from `config.SCHEMA`, so every option appears with its help text
and default, and the file can never drift from what `load_config` accepts.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..resources import bundled
from .rules import LOG_COLUMNS
from .schema import CONFIG_NAME, SCHEMA, Option

COACHING_LOG = Path("coaching") / "log.csv"

HEADER = """\
# crmproof.yml: settings for `crmproof build` and `crmproof validate`.
# Every option is listed with what it means and its default; delete what you do not need.
# Paths are relative to this file. Check it with `crmproof validate`.
"""


@dataclass
class InitResult:
    config: Path
    content: Path
    copied: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    log: Path | None = None  # the empty coaching log (coaching/log.csv)


def _value(value: Any, indent: str = "") -> str:
    """A default as inline YAML (`[mon, tue]`, `{}`); None is an empty value; a list of
    mappings (the consequence ladder) as an indented block."""
    if value is None:
        return ""
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        block = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True,
                               sort_keys=False, width=1 << 16)
        return "".join(f"\n{indent}  {line}" for line in block.splitlines())
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 16)
    return " " + text.removesuffix("\n").removesuffix("\n...").strip()


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _comment(option: Option, indent: str) -> list[str]:
    help_text = option.help
    if option.choices and not all(choice in help_text for choice in option.choices):
        help_text += f" One of: {', '.join(option.choices)}."
    if option.minimum is not None and option.maximum is not None:
        help_text += f" From {_number(option.minimum)} to {_number(option.maximum)}."
    return [f"{indent}# {line}" for line in textwrap.wrap(help_text, 96 - len(indent))]


def config_text(node: dict[str, Any] | None = None, overrides: dict[str, Any] | None = None,
                prefix: str = "", depth: int = 0) -> str:
    """The commented YAML for a schema node; `overrides` maps dotted keys to values."""
    overrides = overrides or {}
    indent, lines = "  " * depth, []
    for key, item in (node or SCHEMA).items():
        dotted = f"{prefix}{key}"
        if isinstance(item, dict):
            lines += ["" if depth == 0 else None, f"{indent}{key}:",
                      config_text(item, overrides, f"{dotted}.", depth + 1).rstrip("\n")]
            continue
        value = overrides.get(dotted, item.default)
        lines += ["" if depth == 0 else None, *_comment(item, indent),
                  f"{indent}{key}:{_value(value, indent)}"]
    text = "\n".join(line for line in lines if line is not None) + "\n"
    return HEADER + text if depth == 0 else text


def init_project(folder: Path, force: bool = False,
                 overrides: dict[str, Any] | None = None) -> InitResult:
    """Write crmproof.yml and content/ into `folder`; never overwrite the config unless forced.

    Content files that already exist are kept (they may hold your edits) unless forced.
    """
    folder = Path(folder)
    config = folder / CONFIG_NAME
    if config.exists() and not force:
        raise ConfigError(f"{config} already exists; edit it, or pass --force to replace it "
                          f"with a fresh one")
    folder.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text(overrides=overrides), encoding="utf-8")
    result = InitResult(config, folder / "content")
    source = bundled("content")
    for path in sorted(source.rglob("*")):
        if path.parent.name == "stories" and path.suffix == ".md":
            continue  # the demo's stories name demo reps; write yours with new-story
        target = result.content / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif target.exists() and not force:
            result.kept.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            result.copied.append(target)
    result.content.mkdir(parents=True, exist_ok=True)
    log = folder / COACHING_LOG
    if not log.exists():  # the manager's own notes: never replaced, not even with --force
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(",".join(LOG_COLUMNS) + "\n", encoding="utf-8")
        result.copied.append(log)
    result.log = log
    return result
