-- The 12-week habit program board: each rep's active days per program week and their run of program weeks.
-- needs: deals.owner_rep_id, entry_dates
-- rep_id: the rep (reps.is_rep; weeks that ended before the rep's start_date are left out)
-- week_index: 0 for the week starting on $program_start, up to $program_weeks - 1; only weeks
--   that have started by $as_of
-- week_start: the Monday the program week starts
-- week_complete: true when no workday of the week lies after $as_of
-- active_days: configured, non-holiday workdays of the week (up to $as_of, from the rep's
--   start_date) on which the rep created at least one deal or activity themself (day in $tz)
-- is_program_week: active_days >= $program_min_active_days
-- consecutive_weeks: program weeks in a row ending with this week (0 when it is not one)
with
-- include: _program_weeks.sql

final as (
    select
        rep_id,
        week_index,
        week_start,
        week_complete,
        active_days,
        is_program_week,
        consecutive_weeks
    from board
)

select * from final
order by rep_id, week_index
