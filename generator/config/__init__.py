"""Config: the project's settings, declared once and checked up front.

In: crmproof.yml (or nothing: the defaults). Out: a validated `Config` whose relative
paths resolve against the file's folder; every problem is reported together as a
`ConfigError`. `starter` writes the commented crmproof.yml and content/ of `crmproof init`.
"""

from __future__ import annotations

from .loader import Config, find_config, load_config
from .schema import CONFIG_NAME, PRIVACY_MODES, SCHEMA, WEEKDAYS, Option, defaults, iter_options
from .starter import InitResult, config_text, init_project

__all__ = ["CONFIG_NAME", "PRIVACY_MODES", "SCHEMA", "WEEKDAYS", "Config", "InitResult",
           "Option", "config_text", "defaults", "find_config", "init_project", "iter_options",
           "load_config"]
