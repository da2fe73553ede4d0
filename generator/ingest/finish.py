"""After every file is loaded: unique IDs, planned work set apart, people resolved to rep
IDs (and reps derived when the export has no user table), who counts as a rep, currencies."""

from __future__ import annotations

from ..config import Config
from ..db import run_script
from ..errors import DataError
from ..resources import bundled
from .canonical import ID_COLUMNS, PERSON_COLUMNS


def check_unique_ids(con, table: str, origins: dict[str, tuple[str, str]]) -> None:
    key = ID_COLUMNS.get(table)
    if key is None:
        return
    # Cheap first: distinct hashes as many as IDs proves them unique (a hash collision only
    # lowers the count); the grouped query that names a duplicate runs only otherwise. NULL
    # IDs are left out of both counts (hash(NULL) is a value: counted, it sent any export
    # with a missing ID down the slow path).
    extra = con.execute(f"select count({key}) - count(distinct hash({key})) filter "
                        f"(where {key} is not null) from {table}").fetchall()[0][0]
    if not extra:
        return
    dup = con.execute(f"select {key}, count(*) from {table} where {key} is not null "
                      f"group by all having count(*) > 1 order by 1 limit 1").fetchall()
    if dup:
        raise DataError(f"ID {dup[0][0]!r} appears {dup[0][1]} times in {table}",
                        file=origins[table][0], column=origins[table][1],
                        hint="remove the duplicate rows or export again")


def finish(con, config: Config, reps_loaded: bool) -> None:
    """Resolve names/emails to rep IDs, derive reps when there is no user table, mark reps."""
    if not reps_loaded:
        run_script(con, bundled("queries") / "_reps_from_owners.sql")
    run_script(con, bundled("queries") / "_person_lookup.sql")
    for table, columns in PERSON_COLUMNS.items():
        for column in columns:
            con.execute(f"update {table} set {column} = l.rep_id from _person_lookup l "
                        f"where lower({table}.{column}) = l.alias and {table}.{column} <> l.rep_id")
    con.execute(bundled("queries").joinpath("_mark_reps.sql").read_text(encoding="utf-8"),
                {"only": [str(v).lower() for v in config["reps"]["only"]],
                 "exclude": [str(v).lower() for v in config["reps"]["exclude"]]})
    _convert_currency(con, config)


def settle(con, report) -> None:
    """Planned work out of `activities`; closed deals' missing close dates stated."""
    moved = con.execute("insert into planned_activities select * from activities "
                        "where is_done = false").fetchall()[0][0]
    if moved:
        con.execute("delete from activities where is_done = false")
        report.notes.append(f"{moved:,} open or planned activities (tasks not completed) are "
                            "next steps for deal completeness, not logged work")
    filled = con.execute("update deals set close_date = last_modified_at::date where "
                         "is_closed and close_date is null and last_modified_at is not null"
                         ).fetchall()[0][0]
    if filled:
        report.notes.append(f"{filled:,} closed deals have no close date: their last-modified "
                            "date stands in for it")


def _convert_currency(con, config: Config) -> None:
    """With data.base_currency and data.currency_rates set, put all amounts in one currency."""
    base, rates = config["data"]["base_currency"], config["data"]["currency_rates"]
    if not base or not rates:
        return
    codes = sorted(str(code).strip().upper() for code in rates)
    values = [float(rates[code]) for code in sorted(rates, key=lambda c: str(c).strip().upper())]
    con.execute(bundled("queries").joinpath("_convert_currency.sql").read_text(encoding="utf-8"),
                {"base": str(base).strip().upper(), "currencies": codes, "rates": values})


