-- Aliases (lower-cased name, email, "name (deactivated user)") that identify exactly one rep.
-- alias: the lower-cased text found in an owner/creator column; rep_id: who it means.
create or replace temp table _person_lookup as
with aliases as (
    select lower(email) as alias, rep_id from reps where email is not null
    union
    select lower(name), rep_id from reps where name is not null
    union
    select lower(name) || ' (deactivated user)', rep_id from reps where name is not null
),
final as (
    select alias, min(rep_id) as rep_id
    from aliases
    group by alias
    having count(distinct rep_id) = 1
)
select * from final;
