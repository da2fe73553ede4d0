"""What each config value must be beyond its type: finite numbers in range, dates crmproof
can report on, a time zone DuckDB knows, an http(s) URL, a logo image inside the project.

Config is text typed by a person and read unattended: every rule is checked up front, so
a wrong value is one line naming its key (exit 2), never an error deep inside a query.
Each check returns a problem (the text after "Config value 'key': ") or None.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import math
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..text import DATE_MAX, DATE_MIN, clean_text
from .schema import WEEKDAYS

MAX_TEXT = 2000  # characters of any config text
MAX_ITEMS = 1000  # entries of any config list
MAX_WINDOW_DAYS = 36_525  # history_periods × period_days: a hundred years of history
MAX_LOGO_BYTES = 5 << 20
ONE_LINE = {"site.name": 100, "site.team_name": 100, "data.base_currency": 10}
# Image formats by their first bytes. SVG is not among them: it can carry script.
LOGO_KINDS = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg", b"GIF87a": ".gif",
              b"GIF89a": ".gif", b"\x00\x00\x01\x00": ".ico"}


def number_problem(value: Any, minimum: float | None, maximum: float | None) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number, got {value!r}"
    if minimum is not None and value < minimum:
        return f"must be at least {minimum}, got {value!r}"
    if maximum is not None and value > maximum:
        return f"must be at most {maximum}, got {value!r}"
    return None


def text_problem(key: str, value: Any) -> str | None:
    """Any config text: bounded, and one printable line where it is shown as a title."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"at most {MAX_TEXT} characters, got {len(value):,}"
        limit = ONE_LINE.get(key)
        if limit and clean_text(value, limit=10 * MAX_TEXT) != value.strip():
            return ("must be one line of printable text (no line breaks, control or "
                    f"invisible characters), got {value!r}")
        if limit and len(value) > limit:
            return f"at most {limit} characters, got {len(value)}"
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return f"at most {MAX_ITEMS:,} entries, got {len(value):,}"
        for item in value:
            parts = list(item.values()) if isinstance(item, dict) else [item]  # ladder levels
            for part in parts:
                if problem := text_problem(key, part):
                    return problem
    return None


def raw_html_problem(value: str) -> str | None:
    """Text a template writes into HTML unescaped (Zensical's site_name in <title>, the
    header and double-quoted attributes) is safe and shows as typed only without '<' (a
    tag), '"' (the attribute's end) and character references."""
    bad = next((c for c in value if c in '<"'), None)
    if bad is None and html.unescape(value) == value:
        return None
    why = f"{bad!r}" if bad else "a character reference (&name;)"
    return (f"site.engine zensical writes it into the page unescaped, so it cannot hold {why}; "
            f"reword it or use site.engine: mkdocs, got {value!r}")


def day_problem(value: Any) -> str | None:
    """A date as YYYY-MM-DD (text or a YAML date) between 1900 and 2199."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return f"expected a date YYYY-MM-DD, got {value!r}"
    if isinstance(day, dt.datetime):
        day = day.date()
    if not DATE_MIN <= day <= DATE_MAX:
        return f"expected a date from {DATE_MIN} to {DATE_MAX}, got {day.isoformat()}"
    return None


@cache
def time_zones() -> frozenset[str]:
    """Every zone name the queries accept: DuckDB's own list (ICU), not the OS's."""
    import duckdb

    with duckdb.connect() as con:
        return frozenset(n for (n,) in con.execute("select name from pg_timezone_names()"
                                                   ).fetchall())


def timezone_problem(value: str) -> str | None:
    if value in time_zones():
        return None
    close = difflib.get_close_matches(value, sorted(time_zones()), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else "; use a tz database name like " \
        "Europe/Berlin or America/New_York"
    return f"unknown time zone {value!r}{hint}"


def url_problem(value: str) -> str | None:
    """An absolute http(s) URL that no attribute or YAML can be broken out of."""
    bad = next((c for c in value if c.isspace() or c in "\"'<>`\\{}|^"
                or unicodedata.category(c)[0] == "C"), None)
    parts = urlsplit(value) if bad is None else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        why = f"{bad!r} is not allowed in it" if bad is not None else "not a web address"
        return (f"expected an http:// or https:// address like https://intranet.example/crm/ "
                f"({why}), got {value!r}")
    if len(value) > 500:
        return f"at most 500 characters, got {len(value)}"
    return None


def logo_kind(path: Path) -> str | None:
    """The image file suffix for a logo's first bytes (PNG, JPEG, GIF, WebP, ICO)."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return next((kind for magic, kind in LOGO_KINDS.items() if head.startswith(magic)), None)


def logo_problem(value: str, root: Path) -> str | None:
    """A PNG, JPEG, GIF, WebP or ICO file inside the project folder (symlinks resolved)."""
    path = (root / value).resolve()
    if not path.is_relative_to(root.resolve()):
        return f"{value!r} is outside the project folder {root}; put the logo next to " \
            "crmproof.yml"
    if not path.is_file():
        return f"{path} not found; fix the path"
    if path.stat().st_size > MAX_LOGO_BYTES:
        return f"{path} is over {MAX_LOGO_BYTES >> 20} MB; use a smaller image"
    if logo_kind(path) is None:
        return f"{path} is not a PNG, JPEG, GIF, WebP or ICO image (SVG can carry script)"
    return None


def rates_problem(rates: dict) -> tuple[str, str] | None:
    """(key, problem) for the first bad currency rate."""
    for code, rate in rates.items():
        key = f"data.currency_rates.{code}"
        if not isinstance(code, str) or clean_text(code, 10) != code or not code:
            return "data.currency_rates", f"expected currency codes, got {code!r}"
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not (
                math.isfinite(rate) and 1e-9 <= rate <= 1e9):
            return key, (f"expected a positive number (units of base currency per {code}), "
                         f"got {rate!r}")
    return None


def semantic_problems(values: dict[str, Any], root: Path) -> list[str]:
    """The checks that look at several values, or at the world (time zones, files)."""
    found: list[tuple[str, str | None]] = []
    workdays = values["workdays"]
    bad_days = [d for d in workdays if d not in WEEKDAYS]
    if bad_days or not workdays or len(set(workdays)) != len(workdays):
        found.append(("workdays", f"expected distinct days from {', '.join(WEEKDAYS)}, "
                                  f"got {workdays}"))
    for key, value in (("as_of", values["as_of"]),
                       ("program.start_date", values["program"]["start_date"])):
        if value is not None:
            found.append((key, day_problem(value)))
    found += [("holidays", day_problem(day)) for day in values["holidays"]]
    found.append(("timezone", timezone_problem(values["timezone"])))
    window = values["history_periods"] * values["period_days"]
    if window > MAX_WINDOW_DAYS:
        found.append(("history_periods", f"history_periods × period_days covers {window:,} "
                      f"days; keep it to at most {MAX_WINDOW_DAYS:,} (100 years)"))
    site = values["site"]
    if site["engine"] == "zensical":
        found.append(("site.name", raw_html_problem(site["name"])))
    if site["url"]:
        found.append(("site.url", url_problem(site["url"])))
    if site["logo"]:
        found.append(("site.logo", logo_problem(site["logo"], root)))
    data = values["data"]
    if rates := rates_problem(data["currency_rates"]):
        found.append(rates)
    if data["currency_rates"] and not data["base_currency"]:
        found.append(("data.currency_rates", "set data.base_currency too"))
    return [f"Config value '{key}': {problem}" for key, problem in found if problem]
