"""data.base_currency + data.currency_rates convert deal amounts before any metric runs."""

from __future__ import annotations

import pytest

from generator.config import load_config
from generator.db import connect
from generator.errors import ConfigError
from generator.ingest import ingest_folder


def _amounts(con):
    return con.execute("select currency, count(*), sum(amount) from deals "
                       "where amount is not null group by 1 order by 1").fetchall()


def test_rates_convert_every_deal_into_the_base_currency(sample, tmp_path):
    plain = connect()
    ingest_folder(plain, sample.folder, load_config())
    before = dict((c, (n, total)) for c, n, total in _amounts(plain))
    assert set(before) == {"EUR", "USD"}  # the North team sells in euros

    config_file = tmp_path / "crmproof.yml"
    config_file.write_text("data:\n  base_currency: usd\n  currency_rates: {EUR: 1.1}\n",
                           encoding="utf-8")
    converted = connect()
    ingest_folder(converted, sample.folder, load_config(config_file))
    [(currency, n, total)] = _amounts(converted)
    assert currency == "USD"
    assert n == before["EUR"][0] + before["USD"][0]
    assert total == pytest.approx(before["USD"][1] + 1.1 * before["EUR"][1])


@pytest.mark.parametrize(("text", "message"), [
    ("data:\n  base_currency: USD\n  currency_rates: {EUR: -1}\n",
     "Config value 'data.currency_rates.EUR': expected a positive number"),
    ("data:\n  currency_rates: {EUR: 1.1}\n",
     "Config value 'data.currency_rates': set data.base_currency too"),
])
def test_bad_rates_are_config_errors(tmp_path, text, message):
    config_file = tmp_path / "crmproof.yml"
    config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(config_file)
