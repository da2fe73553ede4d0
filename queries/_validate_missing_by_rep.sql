-- Open deals per rep missing the fields deal completeness needs, for the terminal report.
-- rep_name: the owner's name (or ID when unknown); open_deals: their open deals;
-- missing_amount, missing_close_date, missing_stage, missing_next_step: open deals without it
with
open_deals as (
    select * from deals where not coalesce(is_closed, false)
),

final as (
    select
        coalesce(r.name, d.owner_rep_id, '(no owner)') as rep_name,
        count(*) as open_deals,
        count(*) filter (where d.amount is null) as missing_amount,
        count(*) filter (where d.close_date is null) as missing_close_date,
        count(*) filter (where d.stage is null) as missing_stage,
        count(*) filter (where d.next_step is null) as missing_next_step
    from open_deals d
    left join reps r on r.rep_id = d.owner_rep_id
    group by all
)

select * from final
where missing_amount + missing_close_date + missing_stage + missing_next_step > 0
order by rep_name
