-- Helper: the days (in $tz) on which each rep created at least one deal or activity themself,
-- in the temp table `rep_active_days` (rep_id, day), one row per rep and day. A table whose
-- export says nobody's name as creator ($deal_creators / $activity_creators false) counts
-- the records the rep owns instead: the site then labels active days as such. Built once per
-- build for the queries that declare `-- requires: _active_dates` (active days, streaks, the
-- program and the adoption tiers). Only the days those queries look at are kept: up to $as_of,
-- back to the start of the history window (at least 28 days) or of the program, if earlier.
-- requires: _day_macros
create or replace temp table rep_active_days as
with
entries as (
    select case when $deal_creators then created_by_rep_id else owner_rep_id end as rep_id,
        created_at
    from deals
    union all
    select case when $activity_creators then created_by_rep_id else owner_rep_id end,
        created_at
    from activities
),

days_back as (
    -- days before $as_of, up to the first day kept
    select rep_id, $as_of::date - local_day(created_at, $tz) as days_back
    from entries
    where rep_id is not null and created_at is not null
        and local_day(created_at, $tz) <= $as_of::date
        and local_day(created_at, $tz) >= least(
            $program_start::date,
            $as_of::date - (greatest($history_periods * $period_days, 28) - 1)::integer
        )
),

rep_day_bits as (
    -- a bit per day for each rep (bit i: i days before $as_of), set on the days with an entry:
    -- grouping ten million entries by rep alone is several times faster than by rep and day.
    -- bitstring_agg takes its bounds as constants: the last bit is the first day kept.
    select
        rep_id,
        bitstring_agg(days_back, 0, $as_of::date - least(
            $program_start::date,
            $as_of::date - (greatest($history_periods * $period_days, 28) - 1)::integer
        )) as bits
    from days_back
    group by rep_id
),

final as (
    select rep_day_bits.rep_id, $as_of::date - offsets.i::integer as day
    from rep_day_bits
    inner join range(0, bit_length(rep_day_bits.bits)) as offsets (i)
        on get_bit(rep_day_bits.bits, offsets.i::integer) = 1
)

select * from final
