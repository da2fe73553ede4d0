-- What the export holds that decides which evidence the site can support (one row).
-- *_rows: rows per canonical table; closed_deals: deals with is_closed;
-- deals_with_amount, currencies: amounts and distinct currencies; records_with_creator: deals
-- and activities with created_by; timed_activities: activities with both occurred_at and
-- created_at; deals_with_next_step: deals with a next step
with
final as (
    select
        (select count(*) from reps where is_rep) as rep_rows,
        (select count(*) from accounts) as accounts_rows,
        (select count(*) from deals) as deals_rows,
        (select count(*) from activities) as activities_rows,
        (select count(*) from logins) as logins_rows,
        (select count(*) from field_history) as field_history_rows,
        (select count(*) from deals where is_closed) as closed_deals,
        (select count(*) from deals where amount is not null) as deals_with_amount,
        (select count(distinct currency) from deals where currency is not null) as currencies,
        (select count(*) from deals where created_by_rep_id is not null)
            + (select count(*) from activities where created_by_rep_id is not null)
            as records_with_creator,
        (select count(*) from activities
         where occurred_at is not null and created_at is not null) as timed_activities,
        (select count(*) from deals where next_step is not null) as deals_with_next_step
)

select * from final
