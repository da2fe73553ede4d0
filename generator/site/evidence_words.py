"""The sentences the evidence pages say about their findings.

Each sentence is built from the findings it quotes, with its words chosen from the
finding's interval ("higher", "lower", "no clear difference"); a difference whose interval
includes zero, or that is under two points, is said to be close to zero, plainly.
Plain text: the templates escape it.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import evidence as ev

Format = Callable[[float], str]


def _number(value: float, digits: int, signed: bool) -> str:
    text = f"{value:{'+' if signed else ''},.{digits}f}"
    if float(text.replace(",", "")) == 0:
        text = f"{0:.{digits}f}"  # never "-0.0"
    return text.replace("-", "−")


def formatter(unit: str, currency: str | None = None, signed: bool = False
              ) -> tuple[Format, str]:
    """How a value of a unit is written, and the unit after it: (42%, ''), (+14.1,
    ' points'), (23,100, ' USD'), (40, ' days'). Differences are signed."""
    money = f" {currency}" if currency else ""
    if unit == "points" or (unit == "share" and signed):
        return (lambda v: _number(v * 100, 1, True)), " points"
    if unit == "share":
        return (lambda v: f"{v:.0%}"), ""
    if unit == "amount":
        return (lambda v: _number(v, 0, signed)), money
    if unit == "days":
        return (lambda v: _number(v, 1 if signed else 0, signed)), " days"
    return (lambda v: _number(v, 1, signed)), ""


def written(finding: ev.Finding, value: float, currency: str | None = None) -> str:
    """One value of a finding with its unit: '+14.1 points', '42%', '23,100 USD'."""
    fmt, unit = formatter(finding.unit, currency, signed=bool(finding.sides))
    return f"{fmt(value)}{unit}"


def interval(finding: ev.Finding, currency: str | None = None) -> str:
    """'+5.5 to +21.2 points', '34% to 48%'."""
    fmt, unit = formatter(finding.unit, currency, signed=bool(finding.sides))
    return f"{fmt(finding.low)} to {fmt(finding.high)}{unit}"


def _reps(count: int) -> str:
    return f"{count} rep" if count == 1 else f"{count} reps"


def counts(finding: ev.Finding) -> str:
    """'1,306 deals from 20 reps', per side for a difference, or one rep's deals."""
    if finding.sides:
        high_deals, high_reps, low_deals, low_reps = finding.sides
        if finding.method.startswith("within"):
            return f"{finding.deals:,} deals of the {_reps(finding.reps)} with deals on both sides"
        return (f"{high_deals:,} deals from {_reps(high_reps)} against {low_deals:,} deals "
                f"from {_reps(low_reps)}")
    if "one rep" in finding.method:
        return f"{finding.deals:,} deals"
    return f"{finding.deals:,} deals from {_reps(finding.reps)}"


def finding_text(finding: ev.Finding, currency: str | None = None) -> str:
    """'42% (95% interval 34% to 48%; 419 deals from 11 reps)', or why there is no number."""
    if not finding.enough or finding.value is None:
        return f"not enough data ({finding.why_not})"
    return (f"{written(finding, finding.value, currency)} (95% interval "
            f"{interval(finding, currency)}; {counts(finding)})")


_WORDS = {"days": ("longer", "shorter")}


def _difference(finding: ev.Finding, currency: str | None = None) -> str:
    """'14.1 points higher (95% interval ...)' or 'no clear difference (+4.0 points, ...)',
    the words from the interval alone."""
    higher, lower = _WORDS.get(finding.unit, ("higher", "lower"))
    if finding.direction == "no clear difference":
        return f"no clear difference: {finding_text(finding, currency)}"
    size = written(finding, abs(finding.value), currency).lstrip("+")
    word = higher if finding.direction == "higher" else lower
    return (f"{size} {word} (95% interval {interval(finding, currency)}; "
            f"{counts(finding)})")


def headline_sentences(found: dict[str, ev.Finding]) -> dict[str, str]:
    """The headline contrast, two ways, and how the two compare."""
    top, rest = found["headline_grade_a_rate"], found["headline_rest_rate"]
    between, within, gap = (found["headline_between"], found["headline_within"],
                            found["headline_gap"])
    rates = (f"Grade-A deals were won {top.value:.0%} of the time, against "
             f"{rest.value:.0%} for all other deals" if top.enough and rest.enough else
             "Grade-A deals against all other deals")
    out = {"between": f"{rates}: {_difference(between)}." if between.enough else
           f"{rates}: not enough data to compare ({between.why_not}).",
           "within": _within(within), "gap": _gap(gap), "near_zero": ""}
    if within.enough and ev.near_zero(within):
        out["near_zero"] = (
            "Within the same rep the difference is close to zero: on this data, a rep's "
            "own grade-A periods did not go with a clearly higher win rate than their other "
            "periods. Read the between-rep number with that in mind; it also reflects "
            "differences between the reps themselves.")
    return out


def _within(within: ev.Finding) -> str:
    if not within.enough:
        return ("The same reps in their grade-A and their other periods: not enough data "
                f"({within.why_not}).")
    return ("The same reps' deals in their grade-A periods against their deals in their "
            f"other periods: {_difference(within)}.")


def _gap(gap: ev.Finding) -> str:
    if not gap.enough:
        return ""
    if gap.direction == "no clear difference":
        return ("Whether the difference between reps is larger than the one within the same "
                f"rep, this data cannot tell: {finding_text(gap)}.")
    size = "larger" if gap.direction == "higher" else "smaller"
    return (f"The difference between reps is {size} than the one within the same rep: "
            f"{finding_text(gap)}.")


def reading(found: dict[str, ev.Finding], measure: str, currency: str | None) -> str:
    """Deal size or sales cycle: grade-A deals against the rest, between and within reps."""
    what = {"won_amount": "The mean won deal", "cycle_days": "The mean sales cycle"}[measure]
    top, between, within = (found[f"{measure}_grade_a"], found[f"{measure}_between"],
                            found[f"{measure}_within"])
    level = f" (grade-A deals: {written(top, top.value, currency)})" if top.enough else ""
    parts = [f"between reps, {_difference(between, currency)}" if between.enough else
             f"between reps, not enough data ({between.why_not})",
             f"within the same rep, {_difference(within, currency)}" if within.enough else
             f"within the same rep, not enough data ({within.why_not})"]
    return (f"{what} of grade-A deals minus the rest{level}: {parts[0]}; {parts[1]}.")
