"""Untrusted text made safe: escaping for Markdown and HTML, file-name-safe slugs, display
names, text compared for the anonymity check, and YAML read with aliases bounded.

CRM values, config strings and story front matter all pass through here before they
reach a page; `Markup` values (trusted HTML built by crmproof) pass unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

# Characters with meaning in HTML or Markdown (incl. attr_list braces and Jinja/Liquid
# delimiters), written as numeric entities so they show as themselves.
_SPECIAL = re.compile(r"[&<>\"'`*_\[\](){}#|!\\~]")
_WHITESPACE = re.compile(r"\s+")


def escape_markdown(value: Any) -> str:
    """Text that Markdown and HTML both show literally: no links, tags, emphasis or breaks."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def slugify(value: str) -> str:
    """A file-name-safe slug: lowercase letters, digits and dashes only (no '..', no '/')."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug[:60] or "item"


# ---- display names -------------------------------------------------------------------
NAME_LIMIT = 80  # characters of a name shown anywhere (pages, SVG, YAML, terminal)
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format, surrogate, private, unassigned


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def clean_text(value: Any, limit: int = NAME_LIMIT) -> str:
    """One line of printable text: control, format and noncharacter code points removed,
    any run of whitespace (newlines too) one space, at most `limit` characters."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)[:limit * 8])
    kept = [" " if ch.isspace() else ch for ch in text
            if ch.isspace() or unicodedata.category(ch) not in _DROPPED
            and not _noncharacter(ord(ch))]
    text = " ".join("".join(kept).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def display_name(name: Any, *identifiers: Any) -> str | None:
    """A person's name fit to show, or None when there is none: empty, or an email address,
    or one of the person's identifiers (ID, username, email or its local part)."""
    text = clean_text(name)
    if not text or "@" in text:
        return None
    known = {clean_text(i).casefold() for i in identifiers if i}
    known |= {i.split("@")[0] for i in known if "@" in i}
    return None if text.casefold() in known else text


def terminal_text(text: str) -> str:
    """Text for a terminal: control characters other than newlines (ESC sequences, bells,
    carriage returns) shown as escapes, never sent raw."""
    return "".join(ch if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf")
                   else repr(ch)[1:-1] for ch in str(text))


# Letters from other scripts that look like Latin ones (UTS #39 confusables, the common
# Cyrillic and Greek cases); NFKC already folds full-width and mathematical letters.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕһԁԛԝкмнтвАВЕКМНОРСТХУІЈЅԜαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijshdqwkmhtbABEKMHOPCTXYIJSWabeiknoptuxABEZHIKMNOPTYX")


def match_text(text: str) -> str:
    """Text as the anonymity check compares it: compatibility forms folded (NFKC), accents,
    format characters (zero-width space, soft hyphen) and case ignored, look-alike letters
    of other scripts read as Latin. Newlines stay, so line numbers still count."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text)))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))
    return unicodedata.normalize("NFC", text.translate(_CONFUSABLES)).casefold()


# ---- YAML typed by people -------------------------------------------------------------
MAX_YAML_VALUES = 100_000  # values a document may expand to, aliases followed


class _UntrustedLoader(yaml.SafeLoader):
    """SafeLoader with aliases limited (an alias bomb of a few lines expands to billions of
    values once walked) and impossible dates (2026-13-45) kept as text for the caller's own
    message."""

    def get_single_node(self):  # noqa: ANN201 (PyYAML's signature)
        node = super().get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_YAML_VALUES:
            raise yaml.composer.ComposerError(
                None, None, f"it expands to more than {MAX_YAML_VALUES:,} values through "
                "aliases (*name); write the values out", node.start_mark)
        return node

    def construct_yaml_timestamp(self, node):  # noqa: ANN001
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_UntrustedLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                 _UntrustedLoader.construct_yaml_timestamp)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values `node` stands for with every alias expanded; each distinct node is
    measured once, so a bomb is caught in time linear in the text."""
    if id(node) not in sizes:
        sizes[id(node)] = 1  # a recursive alias is caught by PyYAML; this just ends
        if isinstance(node, yaml.MappingNode):
            items = [part for pair in node.value for part in pair]
        else:
            items = node.value if isinstance(node, yaml.SequenceNode) else []
        total = 1
        for item in items:
            total += _expanded_size(item, sizes)
            if total > MAX_YAML_VALUES:
                break
        sizes[id(node)] = total
    return sizes[id(node)]


def load_yaml(text: str) -> Any:
    """YAML typed by a person (crmproof.yml, mappings, story front matter); raises
    `yaml.YAMLError` (with `problem` and, where known, `problem_mark`) on any problem."""
    try:
        return yaml.load(text, Loader=_UntrustedLoader)  # noqa: S506 (a SafeLoader)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None


def read_text_file(path: Path, what: str = "file") -> str:
    """A UTF-8 text file typed by a person; `ValueError` with a one-line reason (not UTF-8,
    not a regular file) for the caller to put in its own error."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"not a {what} (a folder or special file)")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValueError(f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                         "save it as UTF-8") from None


# Dates crmproof reports as of: anything else is a typo or a placeholder like 9999-12-31;
# the report's arithmetic (periods back, weeks ahead, the sitemap's 32-bit Unix times)
# stays in range.
DATE_MIN, DATE_MAX = dt.date(1970, 1, 1), dt.date(2099, 12, 31)


def date_in_range(day: dt.date) -> bool:
    return DATE_MIN <= day <= DATE_MAX
