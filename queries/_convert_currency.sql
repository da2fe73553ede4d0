-- Converts deal amounts into data.base_currency using data.currency_rates, so that every
-- amount-based metric compares like with like. Runs only when both are configured.
-- $base: the base currency code; $currencies / $rates: codes and units of base per unit.
-- Deals in a currency without a rate keep their own currency (and drop out of amount
-- comparisons, which use the most common currency).
update deals set
    amount = amount * list_extract($rates::double[],
                                   list_position($currencies::varchar[], upper(trim(currency)))),
    currency = $base
where list_contains($currencies::varchar[], upper(trim(currency)));
