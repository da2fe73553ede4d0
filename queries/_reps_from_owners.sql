-- Builds the reps table from the people named in other tables, for exports without a user file.
-- rep_id and name: the person as written (minus a "(Deactivated User)" mark); email when it is one.
insert into reps (rep_id, name, email, active)
with people as (
    select owner_rep_id as person from deals
    union all select created_by_rep_id from deals
    union all select owner_rep_id from accounts
    union all select owner_rep_id from activities
    union all select created_by_rep_id from activities
    union all select rep_id from logins
    union all select changed_by_rep_id from field_history
),
cleaned as (
    select
        trim(regexp_replace(person, '\(deactivated user\)', '', 'i')) as rep_id,
        bool_or(person ilike '%(deactivated user)%') as deactivated
    from people
    where person is not null
    group by 1
),
final as (
    select
        rep_id,
        rep_id as name,
        case when rep_id like '%@%' then rep_id end as email,
        not deactivated as active
    from cleaned
    where rep_id <> ''
)
select * from final order by rep_id;
