"""Capabilities, not zeros: what each query needs is declared in its SQL, every name it
uses is a known fact, and an export's facts decide the measures and the tier switches."""

from __future__ import annotations

from generator import metrics
from generator.config import load_config
from tests.fixtures_canonical import deal, make_db, rep, same_day


def test_every_need_a_query_declares_is_a_known_fact():
    for query in metrics.load_queries().values():
        for fact in query.needs + tuple(f for _, fs in query.column_needs for f in fs):
            assert fact in metrics.FACTS, f"{query.name}: unknown need {fact!r}"
        for column, _ in query.column_needs:
            assert column in query.columns_doc, f"{query.name}: needs for unknown {column}"


def test_every_measure_reads_a_real_query_or_says_what_it_needs():
    queries = metrics.load_queries()
    for name, (label, query, column) in metrics.MEASURES.items():
        assert label
        if query is not None:
            assert query in queries, name
            assert column is None or column in queries[query].columns_doc


def test_an_export_without_creators_or_entry_times_switches_them_off():
    con = make_db(reps=[rep("A")], deals=[deal("d1", "A", "2026-03-02", creator=None)],
                  activities=[same_day("a1", "A", "2026-03-03", creator=None,
                                       created_at=None)])
    con.execute("update activities set created_at = occurred_at")
    found = metrics.capabilities_of(con, load_config())
    switches = ("deal_creators", "activity_creators", "entry_times")
    assert {k: found.params()[k] for k in switches} == dict.fromkeys(switches, False)
    assert not found.available("proxy_share") and not found.available("logging_lag")
    assert found.available("active_days") and found.available("completeness")
    assert "they own entered" in found.active_day_basis
    con.execute("update deals set created_at = date_trunc('day', created_at)")
    con.execute("update activities set created_at = date_trunc('day', created_at), "
                "occurred_at = date_trunc('day', occurred_at)")
    dates_only = metrics.capabilities_of(con, load_config())
    assert dates_only.params()["entry_clock"] is False  # no time of day: no daily window
    assert not dates_only.available("agreed_window")
    assert found.measures["proxy_share"].reason.startswith("not in this export: the export "
                                                           "does not say who entered")


def test_a_full_export_supports_the_habit_measures():
    con = make_db(reps=[rep("A")], deals=[deal("d1", "A", "2026-03-02")],
                  activities=[same_day("a1", "A", "2026-03-03", deal_id="d1")])
    found = metrics.capabilities_of(con, load_config())
    switches = ("deal_creators", "activity_creators", "entry_times")
    assert {k: found.params()[k] for k in switches} == dict.fromkeys(switches, True)
    assert {"proxy_share", "logging_lag", "stale_pipeline", "win_rate"} <= {
        name for name, cap in found.measures.items() if cap.available}
    assert not found.available("logins") and not found.available("edits_by_others")
