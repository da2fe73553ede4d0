-- Adoption tier per rep per period (none, ineffective, moderate, grade_a) from four habit measures.
-- needs: deals.owner_rep_id, entry_dates
-- rep_id: the rep (only reps.is_rep people are measured)
-- period_index: 0 = the period ending on $as_of, 1 = the one before, ... up to $history_periods - 1
-- period_start: first day of the period ($period_days days long)
-- period_end: last day of the period
-- workdays: configured workdays of the period that are not holidays, counted from the rep's
--   start_date (a rep who joined mid-period gets a prorated count; periods before they joined and
--   periods with no workday are left out)
-- active_days: workdays on which the rep created at least one deal or activity themself (where
--   the export says nobody's name as creator: a record the rep owns); the day is the calendar
--   day in $tz
-- active_day_share: active_days / workdays
-- median_lag_days: median logging lag (days from occurred day to entered day; activities entered
--   before they happened are left out) of activities the rep owns that were entered in the
--   period; NULL when none, or when the export has no entry times ($entry_times false)
-- completeness: share of the rep's deals open at period_end (entered by then, not closed by
--   then) that had, as known at period_end, an amount, a close date, a stage and a next step.
--   A field's value then comes from field history when it changed later, else it is today's.
--   A next step is a planned activity on the deal entered by period_end and dated after it, or
--   a non-empty next_step (a deal closed since is not judged on next_step without history:
--   closing clears it). NULL when the rep had no open deals
-- proxy_share: share of the rep's deals and activities entered in the period that someone else
--   created; NULL when the rep owns no records entered in the period, and for everyone when the
--   export names no creators
-- tier: 'none' when active_day_share <= $none_max_active_share; else 'grade_a' when all four
--   grade_a thresholds hold; else 'moderate' when all four moderate thresholds hold; else
--   'ineffective'. A NULL measure has nothing to judge and does not block a tier.
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
with
-- include: _rep_period_tiers.sql

final as (
    select
        rep_id,
        period_index,
        period_start,
        period_end,
        workdays,
        active_days,
        active_day_share,
        median_lag_days,
        completeness,
        proxy_share,
        tier,
        tier_rank
    from rep_tiers
)

select * from final
order by rep_id, period_index
