-- Helper macros: which calendar day a timestamp falls on in the configured time zone, whether a
-- day is a workday, and which reporting period a day falls in.
-- local_day(ts, tz): the day of naive-UTC `ts` in zone `tz` (DST-aware); UTC skips the
--   conversion, which costs about a second per 10M rows even when it changes nothing.
-- occurred_day(ts, tz): like local_day, but an occurrence of exactly midnight is a date-only
--   value (e.g. a Salesforce task's ActivityDate) and keeps its date in every zone.
create or replace temp macro local_day(ts, tz) as case
    when tz = 'UTC' then cast(ts as date)
    else cast(timezone(tz, ts::timestamptz) as date)
end;

create or replace temp macro occurred_day(ts, tz) as case
    when tz = 'UTC' then cast(ts as date)  -- the same day either way: no time-of-day test
    when cast(ts as time) = time '00:00:00' then cast(ts as date)
    else local_day(ts, tz)
end;

-- period_of(day, as_of, period_days, periods): the index of the period holding `day` (0 = the
-- period_days days ending on as_of, 1 the ones before, ...), by arithmetic instead of a range
-- join; NULL when the day is after as_of or older than the `periods` periods.
create or replace temp macro period_of(day, as_of, period_days, periods) as case
    when day <= as_of and day > as_of - (periods * period_days)::integer
        then (as_of - day) // period_days
end;

-- is_workday(day, workdays, holidays): `day` is one of the ISO weekdays in `workdays` (1 = Monday)
-- and not one of the `holidays`; days that are not workdays never count as missed.
create or replace temp macro is_workday(day, workdays, holidays) as
    list_contains(workdays, isodow(day)) and not list_contains(holidays::date[], day);
