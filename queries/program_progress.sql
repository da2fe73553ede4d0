-- Each rep's progress in the 12-week habit program: program weeks done, current run, completed or not.
-- needs: deals.owner_rep_id, entry_dates
-- rep_id: the rep (reps.is_rep people with at least one program week since their start_date)
-- weeks_elapsed: program weeks that have started by $as_of (see program_board)
-- program_weeks_done: weeks with at least $program_min_active_days active workdays
-- current_run: consecutive program weeks ending with the latest week; while the latest week is
--   still running and not yet a program week, the run ending with the week before it
-- completed: true when a run reached $program_weeks consecutive program weeks
with
-- include: _program_weeks.sql

latest_weeks as (
    select
        rep_id,
        max(week_index) as latest_index
    from board
    group by rep_id
),

runs as (
    select
        board.rep_id,
        count(*) as weeks_elapsed,
        count(*) filter (where board.is_program_week) as program_weeks_done,
        max(board.consecutive_weeks) as longest_run,
        max(board.consecutive_weeks) filter (where board.week_index = latest_weeks.latest_index)
            as latest_run,
        bool_or(
            board.week_index = latest_weeks.latest_index
            and not board.week_complete
            and not board.is_program_week
        ) as latest_pending,
        coalesce(
            max(board.consecutive_weeks)
                filter (where board.week_index = latest_weeks.latest_index - 1),
            0
        ) as previous_run
    from board
    inner join latest_weeks on latest_weeks.rep_id = board.rep_id
    group by board.rep_id
),

final as (
    select
        rep_id,
        weeks_elapsed,
        program_weeks_done,
        case when latest_pending then previous_run else latest_run end as current_run,
        longest_run >= $program_weeks as completed
    from runs
)

select * from final
order by rep_id
