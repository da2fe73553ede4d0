"""Property: whatever bytes or cells a deals file holds, ingest either loads it or raises a
CrmproofError (a one-line message for the user) — never any other exception."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.db import connect
from generator.errors import CrmproofError
from generator.ingest import ingest_folder

HEADER = ["deal_id", "owner_rep_id", "name", "amount", "created_at", "close_date",
          "is_closed", "is_won"]
CONFIG = load_config()
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "true", "0", "Yes", "$1,234.50", "1.234,50 €", "12k", "2024-03-05",
                     "03/04/2024", "25.03.2024", "2024-03-05T14:22:10.000+0000", "nan", "-",
                     "\"", "\r\n", ";", "\t", "\x00", "(Deactivated User)", "1e309"]),
)


def attempt(files: dict[str, bytes], fmt: str = "auto") -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        try:
            ingest_folder(connect(), Path(folder), CONFIG, fmt)
        except CrmproofError as error:
            assert str(error).strip() and "\n" not in str(error).splitlines()[0]


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_as_a_deals_file(data):
    attempt({"deals.csv": data})


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_after_a_valid_header(data):
    attempt({"deals.csv": ",".join(HEADER).encode() + b"\r\n" + data})


@FUZZ
@given(st.lists(st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), max_size=6),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_cells_in_a_deals_file(rows, sep, encoding):
    out = io.StringIO()
    csv.writer(out, delimiter=sep).writerows([HEADER, *rows])
    attempt({"deals.csv": out.getvalue().encode(encoding, errors="replace")})


@FUZZ
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=6),
       st.sampled_from(["auto", "salesforce", "hubspot", "pipedrive", "generic"]))
def test_random_headers_under_every_format(headers, fmt):
    out = io.StringIO()
    csv.writer(out).writerows([headers, ["x"] * len(headers)])
    attempt({"export.csv": out.getvalue().encode("utf-8")}, fmt)
