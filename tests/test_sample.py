"""The synthetic Salesforce export: deterministic, realistic in shape."""

from __future__ import annotations

import csv
import hashlib

import pytest

from generator.sample import HEADERS, generate_sample

from .conftest import run_cli


def digest(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = generate_sample(tmp_path / "a", seed=7, reps=6, months=3)
    b = generate_sample(tmp_path / "b", seed=7, reps=6, months=3)
    c = generate_sample(tmp_path / "c", seed=8, reps=6, months=3)
    assert digest(a.folder) == digest(b.folder)
    assert digest(a.folder) != digest(c.folder)


def test_files_use_salesforce_names_ids_and_timestamps(sample):
    for name, header in HEADERS.items():
        with open(sample.folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == header
        assert len(rows) > 1
    with open(sample.folder / "Opportunity.csv", encoding="utf-8", newline="") as handle:
        deal = next(csv.DictReader(handle))
    assert deal["Id"].startswith("006") and len(deal["Id"]) == 18
    assert deal["OwnerId"].startswith("005")
    assert deal["CreatedDate"].endswith(".000Z")
    assert deal["IsWon"] in ("true", "false")


def test_sample_covers_the_adoption_spectrum(sample):
    personas = set(sample.personas.values())
    assert {"daily", "friday_batcher", "never_logs_in", "assisted", "incomplete",
            "improver", "logs_in_little", "slipping"} <= personas


def rows_of(folder):
    found = {}
    for name in HEADERS:
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
            found[name] = {tuple(row) for row in csv.reader(handle)}
    return found


def test_appended_personas_leave_every_other_rep_unchanged(tmp_path, monkeypatch):
    """The appended reps are simulated after the rest: a sample without them holds exactly
    the other reps' rows, byte for byte, so adding them moved no existing number."""
    import generator.sample.writer as writer

    full = generate_sample(tmp_path / "full", seed=3, reps=14, months=3)
    monkeypatch.setattr(writer, "APPENDED_PERSONAS", ())
    without = generate_sample(tmp_path / "without", seed=3, reps=12, months=3)
    assert set(full.personas.values()) - set(without.personas.values()) == {
        "logs_in_little", "slipping"}
    assert set(without.personas.items()) < set(full.personas.items())
    full_rows, other_rows = rows_of(full.folder), rows_of(without.folder)
    added = set(full.personas) - set(without.personas)
    for name, rows in other_rows.items():
        assert rows <= full_rows[name], name
        extra = full_rows[name] - rows
        assert extra, name  # the appended reps did add rows of every kind
        if name not in ("User", "LoginHistory", "OpportunityFieldHistory"):
            assert all(added & set(row) for row in extra), name


def test_the_sample_writes_the_demo_coaching_log_beside_the_export(sample):
    from generator.sample import COACHING_LOG, LOG_COLUMNS, demo_coaching_log

    text = (sample.folder / COACHING_LOG).read_text(encoding="utf-8")
    assert text == demo_coaching_log()  # the demo build needs it without the export
    rows = list(csv.DictReader(text.splitlines()))
    assert list(rows[0]) == list(LOG_COLUMNS)
    with open(sample.folder / "User.csv", encoding="utf-8", newline="") as handle:
        names = {u["Name"]: u["Id"] for u in csv.DictReader(handle)}
    logged = {sample.personas[names[row["rep"]]] for row in rows}
    assert {"never_logs_in", "friday_batcher", "assisted", "improver", "logs_in_little",
            "slipping"} <= logged


def test_sample_command_scales(tmp_path):
    result = run_cli("sample", str(tmp_path / "out"), "--reps", "3", "--months", "2",
                     "--seed", "1")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "User.csv", encoding="utf-8") as handle:
        users = list(csv.DictReader(handle))
    assert sum(u["Title"] == "Account Executive" for u in users) == 3
    result = run_cli("sample", str(tmp_path / "big"), "--reps", "14", "--months", "2")
    with open(tmp_path / "big" / "User.csv", encoding="utf-8") as handle:
        users = list(csv.DictReader(handle))
    assert sum(u["Title"] == "Account Executive" for u in users) == 14


# ---- planted truth: --within-effect and --confounding ------------------------------------
def _owners(folder):
    with open(folder / "Opportunity.csv", encoding="utf-8", newline="") as handle:
        return {row["Id"]: row["OwnerId"] for row in csv.DictReader(handle)}


def _skills(result):
    """Each rep's base win probability, as the generator used it: p minus the planted part."""
    owners, skills = _owners(result.folder), {}
    for deal_id, p in result.win_probability.items():
        skills.setdefault(owners[deal_id], set()).add(round(p - result.planted_win[deal_id], 12))
    return skills


def test_default_knobs_are_the_demo(tmp_path):
    plain = generate_sample(tmp_path / "a", seed=3, reps=6, months=3)
    explicit = generate_sample(tmp_path / "b", seed=3, reps=6, months=3, within_effect=0.08,
                               confounding=1.0)
    assert digest(plain.folder) == digest(explicit.folder)
    assert plain.win_probability == explicit.win_probability and plain.win_probability
    owners = _owners(plain.folder)
    assert set(plain.win_probability) <= set(owners)
    assert any(v > 0 for v in plain.planted_win.values())
    assert all(len(s) == 1 for s in _skills(plain).values())  # one skill per rep


def test_no_within_effect_ties_no_outcome_to_logging(tmp_path):
    result = generate_sample(tmp_path / "x0", seed=3, reps=10, months=4, within_effect=0.0)
    assert result.planted_win and set(result.planted_win.values()) == {0.0}
    owners, per_rep = _owners(result.folder), {}
    for deal_id, p in result.win_probability.items():
        per_rep.setdefault(owners[deal_id], set()).add(p)
    assert all(len(p) == 1 for p in per_rep.values())  # a rep's chance never moves
    improver = next(r for r, persona in result.personas.items() if persona == "improver")
    base = generate_sample(tmp_path / "x8", seed=3, reps=10, months=4)
    assert len({p for d, p in base.win_probability.items() if owners[d] == improver}) > 1


def test_no_confounding_gives_every_persona_the_same_base(tmp_path):
    from generator.sample.personas import PERSONAS, SKILL_CENTRE

    kept = generate_sample(tmp_path / "y1", seed=4, reps=10, months=3)
    none = generate_sample(tmp_path / "y0", seed=4, reps=10, months=3, confounding=0.0)
    # the same draws: only outcomes differ, so the logging (and every tier) is the same
    assert digest(kept.folder)["Task.csv"] == digest(none.folder)["Task.csv"]
    for rep_id, (skill_y0,) in _skills(none).items():
        (skill_y1,) = _skills(kept)[rep_id]
        base = PERSONAS[kept.personas[rep_id]][2]
        assert skill_y0 == pytest.approx(skill_y1 - (base - SKILL_CENTRE), abs=1e-9)


def test_sample_command_takes_the_knobs(tmp_path):
    result = run_cli("sample", str(tmp_path / "k"), "--reps", "3", "--months", "2",
                     "--within-effect", "0", "--confounding", "0")
    assert result.exit_code == 0, result.output
    bad = run_cli("sample", str(tmp_path / "bad"), "--within-effect", "-1")
    assert bad.exit_code == 2 and "--within-effect" in bad.output
