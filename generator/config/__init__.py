"""Config: the project's settings, declared once and checked up front.

In: crmproof.yml (or nothing: the defaults). Out: a validated `Config` whose relative
paths resolve against the file's folder; every problem is reported together as a
`ConfigError`. `rules` reads the daily window and the consequence ladder's rules (a small
declarative grammar, matched and never evaluated). `starter` writes the commented
crmproof.yml, content/ and the empty coaching log of `crmproof init`.
"""

from __future__ import annotations

from .checks import logo_kind, raw_html_problem
from .loader import Config, find_config, load_config
from .rules import (
    LOG_COLUMNS,
    LOG_KINDS,
    TIERS,
    Level,
    Rule,
    Window,
    parse_ladder,
    parse_rule,
    parse_window,
)
from .schema import (
    CONFIG_NAME,
    PRIVACY_MODES,
    SCHEMA,
    SITE_ENGINES,
    WEEKDAYS,
    Option,
    defaults,
    iter_options,
)
from .starter import InitResult, config_text, init_project

__all__ = ["CONFIG_NAME", "LOG_COLUMNS", "LOG_KINDS", "PRIVACY_MODES", "SCHEMA", "SITE_ENGINES",
           "TIERS",
           "WEEKDAYS", "Config", "InitResult", "Level", "Option", "Rule", "Window", "config_text",
           "defaults", "find_config", "init_project", "iter_options", "ladder", "load_config",
           "logo_kind", "parse_ladder", "parse_rule", "parse_window", "raw_html_problem"]


def ladder(config: Config) -> list[Level]:
    """The consequence ladder of a loaded (so already validated) config."""
    return parse_ladder(config["expectations"]["consequences"], "expectations.consequences")[0]
