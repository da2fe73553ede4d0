-- Open pipeline gone dark: each rep's open deals with no activity in the last $stale_days days.
-- needs: deals.owner_rep_id, deal_links
-- needs stale_amount: deals.amount
-- rep_id: the rep (every reps.is_rep person, also without deals)
-- open_deals: deals the rep owns, created by $as_of (day in $tz; or with no created date) and
--   open on it (not closed, or closed with a close_date after $as_of)
-- stale_deals: open deals with no activity on the deal occurring (day in $tz) in the $stale_days
--   days up to $as_of (activities entered after $as_of are not seen)
-- stale_amount: total amount of the stale deals in `currency` (0 when none; deals without an
--   amount add nothing)
-- stale_deals_no_amount: stale deals without an amount (their value is unknown)
-- stale_deals_other_currency: stale deals with an amount in another currency than `currency`,
--   left out of stale_amount
-- other_currencies: those deals' currencies, space-separated in alphabetical order (NULL when
--   none)
-- currency: the most common currency of the reps' deals (deals without one count as it);
--   amounts in other currencies are left out (data.base_currency with data.currency_rates
--   converts them first)
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

-- include: _main_currency.sql

recent_touches as (
    select distinct deal_id
    from activities
    where deal_id is not null
        and local_day(created_at, $tz) <= $as_of::date
        and occurred_day(occurred_at, $tz) between $as_of::date - ($stale_days - 1)::integer and $as_of::date
),

open_deals as (
    select
        deals.owner_rep_id as rep_id,
        deals.amount,
        deals.currency as deal_currency,
        recent_touches.deal_id is null as is_stale,
        coalesce(deals.currency, (select currency from main_currency))
            is not distinct from (select currency from main_currency) as in_currency
    from deals
    left join recent_touches on recent_touches.deal_id = deals.deal_id
    where (deals.created_at is null or local_day(deals.created_at, $tz) <= $as_of::date)
        and (not coalesce(deals.is_closed, false) or deals.close_date > $as_of::date)
),

rep_counts as (
    select
        rep_id,
        count(*) as open_deals,
        count(*) filter (where is_stale) as stale_deals,
        sum(amount) filter (where is_stale and in_currency) as stale_amount,
        count(*) filter (where is_stale and amount is null) as stale_deals_no_amount,
        count(*) filter (where is_stale and amount is not null and not in_currency)
            as stale_deals_other_currency,
        string_agg(distinct deal_currency, ' ' order by deal_currency)
            filter (where is_stale and amount is not null and not in_currency)
            as other_currencies
    from open_deals
    group by rep_id
),

final as (
    select
        team.rep_id,
        coalesce(rep_counts.open_deals, 0) as open_deals,
        coalesce(rep_counts.stale_deals, 0) as stale_deals,
        coalesce(rep_counts.stale_amount, 0)::double as stale_amount,
        coalesce(rep_counts.stale_deals_no_amount, 0) as stale_deals_no_amount,
        coalesce(rep_counts.stale_deals_other_currency, 0) as stale_deals_other_currency,
        rep_counts.other_currencies,
        (select currency from main_currency) as currency
    from team
    left join rep_counts on rep_counts.rep_id = team.rep_id
)

select * from final
order by rep_id
