"""`crmproof mapping suggest`: a commented mapping YAML for an export nobody shipped one for.

Each file's header and a sample of its values (`guess`) decide which canonical table it
is: the deals file holds won/lost outcomes, an activities file types like call/email/
meeting, an accounts file the names the deals point at, a people file the owners they
name. Within a file each canonical column takes the header that names it best, checked
against its values (a date column must hold dates); values decide the rest (which stage
values are won or lost, which activities are not done yet, which column links an activity
to its deal). Wherever it had to choose, a `# check:` comment lists the candidates.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from .decoding import head_text
from .files import ExportFile, list_files, sniff
from .guess import DONE, LOST, WON, Column, header_score
from .mapping import Mapping
from .recognize import recognize

SAMPLE_BYTES = 4 << 20
SAMPLE_ROWS = 5000
_TYPES = ("call", "email", "e-mail", "meeting", "note", "task", "visit", "anruf", "appel",
          "llamada", "reunión", "termin", "rendez-vous")


@dataclass
class Sampled:
    file: ExportFile
    columns: list[Column]

    def column(self, header: str | None) -> Column | None:
        return next((c for c in self.columns if c.header == header), None)


@dataclass
class Choice:
    """A canonical column's spec, and the other headers that could have been it."""

    spec: object
    others: list[str] = field(default_factory=list)
    note: str = ""


def sample(file: ExportFile) -> Sampled:
    """The file's columns with up to SAMPLE_ROWS rows of values (its first 4 MiB)."""
    with open(file.source, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    text = head_text(head, file.encoding) if file.encoding else head.decode("utf-8", "replace")
    if len(head) == SAMPLE_BYTES:
        text = text[:text.rfind("\n") + 1]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=file.delimiter))
    header, body = (rows[0], rows[1:SAMPLE_ROWS + 1]) if rows else ([], [])
    columns = [Column(h.lstrip("\ufeff").strip()) for h in header]
    for row in body:
        for index, value in enumerate(row[:len(columns)]):
            if value.strip():
                columns[index].values.append(value.strip())
    return Sampled(file, columns)


def _best(sampled: Sampled, role: str, test=lambda c: True,
          taken: set[str] = frozenset()) -> tuple[Column | None, list[str]]:
    scored = sorted(((header_score(c.header, role), -i, c) for i, c in enumerate(sampled.columns)
                     if c.header not in taken and c.values and test(c)),
                    key=lambda t: (t[0], t[1]), reverse=True)
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None, []
    return scored[0][2], [c.header for _, _, c in scored[1:3]]


def _outcome(sampled: Sampled) -> tuple[Column | None, list[str], list[str]]:
    """The column whose values say won and lost, with those values."""
    found = []
    for column in sampled.columns:
        if column.is_label:
            won, lost = column.labelled(WON), column.labelled(LOST)
            if won and lost:
                score = (2 * header_score(column.header, "outcome")
                         + header_score(column.header, "stage"))
                found.append((score, column, won, lost))
    if not found:
        return None, [], []
    found.sort(key=lambda t: t[0], reverse=True)
    return found[0][1], found[0][2], found[0][3]


def _activity_type(sampled: Sampled) -> Column | None:
    for column in sampled.columns:
        if column.is_label and sum(1 for v in column.distinct
                                   if v.lower() in _TYPES) >= 2:
            return column
    return None


# ---- which file is which table ----------------------------------------------------------
def classify(samples: list[Sampled]) -> dict[str, Sampled]:
    deals = [s for s in samples if _outcome(s)[0] is not None]
    if not deals:
        return {}
    chosen = {"deals": max(deals, key=lambda s: _best(s, "amount", lambda c: c.is_amount)[0]
                           is not None)}
    rest = [s for s in samples if s is not chosen["deals"]]
    owner = _deal_owner(chosen["deals"])
    account = _best(chosen["deals"], "account_id")[0]
    for s in rest:
        if "activities" not in chosen and _activity_type(s) is not None and any(
                c.is_date for c in s.columns):
            chosen["activities"] = s
        elif "reps" not in chosen and owner is not None and _people_column(s, owner):
            chosen["reps"] = s
        elif "accounts" not in chosen and account is not None and _linked(s, account):
            chosen["accounts"] = s
    return chosen


def _deal_owner(deals: Sampled) -> Column | None:
    return _best(deals, "owner", lambda c: not c.is_date and not c.is_amount
                 and not c.is_unique)[0]


def _people_column(sampled: Sampled, owner: Column) -> Column | None:
    return next((c for c in sampled.columns if c.is_unique and owner.overlap(c) >= 0.5), None)


def _linked(sampled: Sampled, link: Column) -> Column | None:
    return next((c for c in sampled.columns if c.is_unique and link.overlap(c) >= 0.5), None)


# ---- the columns of each table -----------------------------------------------------------
def _dates(s: Sampled, role: str, taken: set[str]) -> Choice | None:
    column, others = _best(s, role, lambda c: c.is_date, taken)
    return Choice(column.header, others) if column else None


def deal_columns(s: Sampled) -> dict[str, Choice]:
    out: dict[str, Choice] = {}
    outcome, won, lost = _outcome(s)
    ident, others = _best(s, "deal_id", lambda c: c.is_unique)
    if ident is not None:
        out["deal_id"] = Choice(ident.header, others)
    owner = _deal_owner(s)
    if owner is not None:
        out["owner_rep_id"] = Choice(owner.header, _best(
            s, "owner", lambda c: not c.is_date and not c.is_amount and not c.is_unique,
            taken={owner.header})[1])
    taken = {c.spec for c in out.values()}
    for canonical, role in (("name", "name"), ("account_id", "account_id"),
                            ("next_step", "next_step")):
        column, others = _best(s, role, lambda c: not c.is_date and not c.is_amount, taken)
        if column is not None and column is not outcome:
            out[canonical] = Choice(column.header, others)
            taken.add(column.header)
    stage, others = _best(s, "stage", lambda c: c.is_label, taken)
    out["stage"] = Choice((stage or outcome).header, others)
    amount, others = _best(s, "amount", lambda c: c.is_amount, taken)
    if amount is not None:
        out["amount"] = Choice(amount.header, others)
        code = re.search(r"\(([A-Z]{3})\)|\b([A-Z]{3})\b", amount.header)
        currency, _ = _best(s, "currency", lambda c: c.is_label, taken)
        if currency is not None:
            out["currency"] = Choice(currency.header)
        elif code:
            out["currency"] = Choice({"value": code.group(1) or code.group(2)},
                                     note=f"from the header {amount.header!r}")
    for canonical, role in (("created_at", "created_at"), ("close_date", "close_date")):
        found = _dates(s, role, taken)
        if found:
            out[canonical] = found
            taken.add(found.spec)
    creator, others = _best(s, "creator", lambda c: not c.is_date, taken)
    if creator is not None:
        out["created_by_rep_id"] = Choice(creator.header, others)
    note = (f"{outcome.header!r} values read as won: {', '.join(won)}; as lost: "
            f"{', '.join(lost)}; every other value is open")
    out["is_closed"] = Choice({"column": outcome.header, "in": [v.lower() for v in won + lost]},
                              note=note)
    out["is_won"] = Choice({"column": outcome.header, "in": [v.lower() for v in won]})
    return out


def activity_columns(s: Sampled, deals: Sampled, deal_cols: dict[str, Choice]
                     ) -> dict[str, Choice]:
    out: dict[str, Choice] = {}
    kind = _activity_type(s)
    ident, others = _best(s, "activity_id", lambda c: c.is_unique)
    if ident is not None:
        out["activity_id"] = Choice(ident.header, others)
    deal_ids = deals.column(str(deal_cols.get("deal_id", Choice(None)).spec))
    link = next((c for c in s.columns if deal_ids and c.overlap(deal_ids) >= 0.8), None)
    if link is not None:
        out["deal_id"] = Choice(link.header, note="its values are the deals' IDs")
    owners = deals.column(str(deal_cols.get("owner_rep_id", Choice(None)).spec))
    people = [c for c in s.columns if owners and c is not link and c.overlap(owners) >= 0.5]
    creator, _ = _best(s, "creator", lambda c: c in people or not c.is_date)
    owner = next((c for c in people if c is not creator), None) or (people[0] if people else None)
    if owner is not None:
        out["owner_rep_id"] = Choice(owner.header, [c.header for c in people if c is not owner])
    if creator is not None and creator is not owner:
        out["created_by_rep_id"] = Choice(creator.header)
    if kind is not None:
        out["type"] = Choice(kind.header)
    taken = {str(c.spec) for c in out.values()}
    happened = _dates(s, "occurred_at", taken)
    if happened:
        out["occurred_at"] = happened
        taken.add(happened.spec)
    entered = _dates(s, "entered_at", taken)
    if entered:
        out["created_at"] = entered
    status, _ = _best(s, "is_done", lambda c: c.is_label and c is not kind, taken)
    if status is not None and status.labelled(DONE):
        done = [v.lower() for v in status.labelled(DONE)] + [""]
        out["is_done"] = Choice({"column": status.header, "in": done},
                                note=f"{status.header!r}: {', '.join(status.labelled(DONE))} or "
                                     "empty is done; other values are planned next steps")
    return out


def account_columns(s: Sampled, link: Column) -> dict[str, Choice]:
    key = _linked(s, link)
    out = {"account_id": Choice(key.header, note="the deals' account column points at it"),
           "name": Choice(key.header)}
    industry, _ = _best(s, "industry", lambda c: not c.is_date)
    if industry is not None:
        out["industry"] = Choice(industry.header)
    return out


def rep_columns(s: Sampled, owner: Column) -> dict[str, Choice]:
    key = _people_column(s, owner)
    out = {"rep_id": Choice(key.header, note="the deals' owners are these values"),
           "name": Choice(key.header)}
    for canonical, role in (("email", "email"), ("team", "team"), ("manager_id", "manager")):
        column, _ = _best(s, role, lambda c: c is not key and not c.is_date)
        if column is not None:
            out[canonical] = Choice(column.header)
    return out


# ---- writing the YAML --------------------------------------------------------------------
def _yaml(spec: object) -> str:
    if isinstance(spec, str):
        return json.dumps(spec, ensure_ascii=False)
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in spec.items()) + "}"
    if isinstance(spec, list):
        return "[" + ", ".join(_yaml(v) for v in spec) + "]"
    return json.dumps(spec)


def _source(table: str, s: Sampled, columns: dict[str, Choice]) -> list[str]:
    match = [c.spec for c in columns.values() if isinstance(c.spec, str)][:4]
    lines = [f"  # {s.file.name}: {len(s.columns)} columns",
             f"  - table: {table}", f"    match: {_yaml(list(dict.fromkeys(match)))}",
             f"    files: {_yaml([s.file.stem])}", "    columns:"]
    for canonical, choice in columns.items():
        lines.append(f"      {canonical}: {_yaml(choice.spec)}")
        if choice.others:
            lines.append(f"      # check: {canonical} could also be "
                         + " or ".join(repr(o) for o in choice.others))
        if choice.note:
            lines.append(f"      # {choice.note}")
    return lines


def suggest_mapping(folder: Path, scratch: Path, known: Mapping | None = None) -> str:
    """The commented mapping YAML for the export in `folder`; with `known`, only for the
    files that mapping does not read already."""
    paths, _ = list_files(folder)
    files = [f for p in paths for f in sniff(p, scratch) if f.problem is None and f.headers]
    if known is not None:
        files = [f for f in files if not _reads(known, f)]
    samples = [sample(f) for f in files]
    chosen = classify(samples)
    lines = [f"# Mapping suggested by `crmproof mapping suggest` for {folder.name}/.",
             "# Read every `# check:` line: there the suggestion had to choose.",
             f"name: {json.dumps(folder.name + '-suggested')}",
             "sources:"]
    if "deals" not in chosen:
        raise _no_deals(folder, samples)
    deals = chosen["deals"]
    deal_cols = deal_columns(deals)
    lines += _source("deals", deals, deal_cols)
    if "activities" in chosen:
        lines += _source("activities", chosen["activities"],
                         activity_columns(chosen["activities"], deals, deal_cols))
    if "accounts" in chosen:
        link = deals.column(str(deal_cols["account_id"].spec))
        lines += _source("accounts", chosen["accounts"], account_columns(chosen["accounts"],
                                                                         link))
    if "reps" in chosen:
        lines += _source("reps", chosen["reps"], rep_columns(chosen["reps"],
                                                             _deal_owner(deals)))
    used = {s.file.name for s in chosen.values()}
    lines += [f"# not mapped: {f.name} (no canonical table found in it)" for f in files
              if f.name not in used]
    return "\n".join(lines) + "\n"


def _reads(mapping: Mapping, file: ExportFile) -> bool:
    try:
        return bool(recognize(mapping, file).sources)
    except DataError:
        return False


def _no_deals(folder: Path, samples: list[Sampled]) -> DataError:
    return DataError(f"no file in {folder} has a column whose values say which deals were won "
                     "and lost, so no mapping can be suggested",
                     hint="export the deals with their stage or outcome, or write a mapping "
                          "(see 'Your own mapping' in the README)")
