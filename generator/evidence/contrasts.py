"""The site's one contrast, grade-A against the rest, measured every way the evidence page
shows it: between reps and within the same rep, beside team and tenure, under each way of
attributing a deal to a tier, and for win rate, deal size and sales cycle.

In: the `deal_attribution` query's columns (one entry per closed deal) and the reps' order.
Out: `Finding`s by id. All of them share one cluster bootstrap over reps. Pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..tiers import TIER_LABELS, TIER_ORDER
from .clustered import (
    Deals,
    RepBootstrap,
    cell_sums,
    difference,
    fe_difference,
    group_deals,
    group_mean,
)
from .findings import Finding, Unit, difference_finding, gap_finding, mean_finding

TOP = "grade_a"
# how a deal is attributed to its owner's tiers: the site's choice first
ATTRIBUTIONS = {
    "life": "the tier held on the most days the deal was open (the site's choice)",
    "time_weighted": "the share of the deal's open days in grade-A periods",
    "created": "the tier in the period the deal was created",
    "close": "the tier in the period the deal closed",
    "before_close": "the tier in the period before the deal closed",
}
_METHOD = {
    "mean": "pooled mean over the deals; 95% cluster bootstrap over reps",
    "all": "between reps: difference of the pooled means (linear model without rep "
           "effects); 95% cluster bootstrap over reps",
    "rep": "within rep: linear model with a fixed effect per rep (each rep weighted by "
           "n_high x n_low / n, the Mantel-Haenszel risk difference for a win rate); 95% "
           "cluster bootstrap over reps",
    "team": "between reps within team: linear model with a fixed effect per team; 95% "
            "cluster bootstrap over reps",
    "tenure": "between reps within tenure band: linear model with a fixed effect per "
              "tenure band; 95% cluster bootstrap over reps",
    "rep_tenure": "within rep and tenure band: linear model with a fixed effect per rep "
                  "and tenure band; 95% cluster bootstrap over reps",
    "gap": "difference of the two estimates in each bootstrap resample; 95% cluster "
           "bootstrap over reps",
}
_BY_LABEL = {"all": "between reps", "rep": "within the same rep", "team": "within team",
             "tenure": "within tenure band", "rep_tenure": "within rep and tenure band"}


@dataclass(frozen=True)
class _Table:
    """The deal columns as arrays, with reps, teams and tenure bands as codes."""

    deals: Deals
    tiers: dict[str, np.ndarray]  # attribution -> tier rank per deal (-1: no tier)
    grade_a_share: np.ndarray
    won: np.ndarray
    amount: np.ndarray  # won amount where counted, else NaN
    cycle: np.ndarray
    status: np.ndarray  # won deals' amount: 0 counted, 1 missing, 2 other currency; -1 lost
    currency: np.ndarray  # each deal's own currency (objects)


DEAL_COLUMNS = ("rep_id", "team", "tenure_band", "life_tier", "created_tier", "close_tier",
                "before_close_tier", "grade_a_share", "is_won", "amount_status", "won_amount",
                "deal_currency", "cycle_days")  # what the analysis reads of deal_attribution


def _objects(values: Sequence[Any]) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values  # already what it reads: no copy of a pointer per deal
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _codes(values: np.ndarray) -> np.ndarray:
    """Stable integer codes, sorted by value (None last); few distinct values."""
    distinct = sorted({v for v in set(values.tolist()) if v is not None})
    codes = np.full(values.size, len(distinct), dtype=np.int64)
    for code, value in enumerate(distinct):
        codes[values == value] = code
    return codes


def _floats(values: Sequence[Any]) -> np.ndarray:
    return np.array(values, dtype=float).reshape(-1)  # None becomes NaN


def _table(columns: Mapping[str, Sequence[Any]], rep_index: Mapping[str, int]) -> _Table:
    """Arrays from the query's columns, by vectorised steps (500k deals in a fraction of a
    second): tiers by comparison, teams per rep, numbers with None as NaN. Each column is
    read once and let go (`columns` may make them on reading: `Result.arrays`)."""
    def column(name: str) -> Sequence[Any]:
        return columns.get(name, [])  # none at all: no deals

    rep_ids = _objects(column("rep_id"))
    starts = np.flatnonzero(np.r_[True, rep_ids[1:] != rep_ids[:-1]])[:rep_ids.size]
    rep = np.repeat([rep_index[r] for r in rep_ids[starts]], np.diff(np.r_[starts, rep_ids.size]))
    team_of_rep = _codes(_objects(column("team"))[starts])
    team = np.repeat(team_of_rep, np.diff(np.r_[starts, rep_ids.size]))
    tiers = {}
    for name in ("life", "created", "close", "before_close"):
        values, ranks = _objects(column(f"{name}_tier")), np.full(rep.size, -1)
        for rank, tier in enumerate(TIER_ORDER):
            ranks[values == tier] = rank
        tiers[name] = ranks
    statuses, status = _objects(column("amount_status")), np.full(rep.size, -1)
    for code, name in enumerate(("counted", "missing", "other currency")):
        status[statuses == name] = code
    amount = np.where(status == 0, _floats(column("won_amount")), np.nan)
    return _Table(group_deals(rep, team, _codes(_objects(column("tenure_band")))), tiers,
                  _floats(column("grade_a_share")), _floats(column("is_won")), amount,
                  _floats(column("cycle_days")), status, _objects(column("deal_currency")))


@dataclass
class DealEvidence:
    """Every finding built from the closed deals, by id, in the order they were made."""

    findings: dict[str, Finding]
    tier_exclusions: list[dict[str, Any]]


class _Maker:
    def __init__(self, table: _Table, boot: RepBootstrap, min_n: int, min_reps: int) -> None:
        self.t, self.boot, self.min_n, self.min_reps = table, boot, min_n, min_reps
        self.found: dict[str, Finding] = {}
        self.raw: dict[str, Any] = {}
        self.last: tuple[np.ndarray, ...] | None = None

    def mean(self, id: str, label: str, unit: Unit, y: np.ndarray, chosen: np.ndarray) -> None:
        estimate = group_mean(self.boot, self.t.deals, y, chosen)
        self.raw[id] = estimate
        self.found[id] = mean_finding(id, label, _METHOD["mean"], unit, estimate, self.min_n,
                                      self.min_reps)

    def contrast(self, id: str, label: str, unit: Unit, x: np.ndarray, y: np.ndarray,
                 chosen: np.ndarray, by: str) -> None:
        last = self.last  # contrasts of the very same x, y and choice share their cell sums
        if last is None or not (last[0] is x and last[1] is y and last[2] is chosen):
            self.last = last = (x, y, chosen, cell_sums(self.t.deals, x, y, chosen))
        estimate = fe_difference(self.boot, self.t.deals, x, y, chosen, by, last[3])
        self.raw[id] = estimate
        self.found[id] = difference_finding(id, label, _METHOD[by], unit, estimate,
                                            self.min_n, self.min_reps)

    def gap(self, id: str, label: str, first: str, second: str) -> None:
        estimate = difference(self.raw[first], self.raw[second])
        self.found[id] = gap_finding(id, label, _METHOD["gap"], estimate,
                                     (self.found[first], self.found[second]))


def analyse_deals(columns: Mapping[str, Sequence[Any]], rep_index: Mapping[str, int],
                  min_n: int, min_reps: int, boot: RepBootstrap) -> DealEvidence:
    """All findings on closed deals; `rep_index` numbers every measured rep (0, 1, ...) as
    `boot` does."""
    table = _table(columns, rep_index)
    make = _Maker(table, boot, min_n, min_reps)
    life = table.tiers["life"]
    tiered = life >= 0
    top = (life == TIER_ORDER.index(TOP)).astype(float)
    has_amount, has_cycle = np.isfinite(table.amount), np.isfinite(table.cycle)
    for rank, tier in enumerate(TIER_ORDER):
        name = TIER_LABELS[tier]
        make.mean(f"win_rate_{tier}", f"Win rate, {name} deals", "share", table.won,
                  life == rank)
        make.mean(f"won_amount_{tier}", f"Mean won deal, {name} deals", "amount",
                  table.amount, (life == rank) & has_amount)
        make.mean(f"cycle_days_{tier}", f"Mean sales cycle, {name} deals", "days",
                  table.cycle, (life == rank) & has_cycle)
    make.mean("win_rate_all", "Win rate, all deals", "share", table.won, tiered)
    make.mean("headline_grade_a_rate", "Win rate of grade-A deals", "share", table.won,
              top == 1)
    make.mean("headline_rest_rate", "Win rate of all other deals", "share", table.won,
              tiered & (top == 0))
    _contrasts(make, table, top, tiered, has_amount, has_cycle)
    _sensitivity(make, table)
    return DealEvidence(make.found, _exclusions(table))


def _contrasts(make: _Maker, table: _Table, top: np.ndarray, tiered: np.ndarray,
               has_amount: np.ndarray, has_cycle: np.ndarray) -> None:
    """The headline contrast two ways, beside team and tenure, and for size and cycle."""
    label = "Win rate, grade-A deals minus the rest"
    make.contrast("headline_between", f"{label}, between reps", "points", top, table.won,
                  tiered, "all")
    make.contrast("headline_within", f"{label}, within the same rep", "points", top,
                  table.won, tiered, "rep")
    make.gap("headline_gap", "Between-rep minus within-rep difference in win rate",
             "headline_between", "headline_within")
    for by in ("team", "tenure", "rep_tenure"):
        make.contrast(f"headline_{by}", f"{label}, {_BY_LABEL[by]}", "points", top,
                      table.won, tiered, by)
    for measure, unit, y, chosen, what in (
            ("won_amount", "amount", table.amount, tiered & has_amount, "Mean won deal"),
            ("cycle_days", "days", table.cycle, tiered & has_cycle, "Mean sales cycle")):
        for by in ("all", "rep"):
            make.contrast(f"{measure}_{'between' if by == 'all' else 'within'}",
                          f"{what}, grade-A deals minus the rest, {_BY_LABEL[by]}", unit,
                          top, y, chosen, by)


def _sensitivity(make: _Maker, table: _Table) -> None:
    """The same contrast under every other way of attributing a deal to a tier."""
    top_rank = TIER_ORDER.index(TOP)
    for name in ATTRIBUTIONS:
        if name == "life":
            continue
        if name == "time_weighted":
            x, chosen = np.nan_to_num(table.grade_a_share), np.isfinite(table.grade_a_share)
        else:
            tiers = table.tiers[name]
            x, chosen = (tiers == top_rank).astype(float), tiers >= 0
        for by, side in (("all", "between"), ("rep", "within")):
            make.contrast(f"attribution_{name}_{side}",
                          f"Win rate, grade-A minus the rest by {ATTRIBUTIONS[name]}, "
                          f"{_BY_LABEL[by]}", "points", x, table.won, chosen, by)


def _exclusions(table: _Table) -> list[dict[str, Any]]:
    """Per tier: won deals, and how many the deal-size numbers use or leave out, and why."""
    rows = []
    for rank, name in enumerate(TIER_ORDER):
        status = table.status[table.tiers["life"] == rank]
        other = (table.tiers["life"] == rank) & (table.status == 2)
        rows.append({"tier": name, "won": int((status >= 0).sum()),
                     "counted": int((status == 0).sum()), "missing": int((status == 1).sum()),
                     "other_currency": int((status == 2).sum()),
                     "currencies": sorted({c for c in table.currency[other].tolist() if c})})
    return rows
