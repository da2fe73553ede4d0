-- Parsing macros used by ingest to turn raw export text into canonical types.
-- crm_text(v): trimmed text (non-breaking spaces too), NULL when empty.
-- crm_ts(v, dmy): timestamp from ISO, Salesforce (…T…000Z / +0000), US or European text, as naive UTC.
-- crm_date(v, dmy): the date part of crm_ts.
-- crm_ts_excel(v, dmy): crm_ts, or an Excel date serial number (spreadsheet files only).
-- crm_bool(v): true/false/1/0/yes/no/y/n/t/f/x; empty is false; anything else NULL.
-- crm_amount(v): number from '$1,234.50', '1.234,50 €', 'EUR 1234.5', '(12.00)'; NULL when unreadable
-- or beyond ±1e15.
-- crm_ts_text, crm_date_text, crm_bool_text, crm_amount_text: the same on a text that is already
-- crm_text's result (what ingest has in hand): a macro's argument is pasted in wherever it is
-- used, so cleaning it again would run once per use.
-- Most texts need no cleaning and are returned as they are: plain ASCII (so no NBSP or BOM)
-- that neither starts nor ends with a space or control character. trim with a character list
-- costs several times these checks, and each check costs: they are the cheapest found
-- (comparing with '!' tests a first or last byte above 32; right(v, 1) took twice as long).
create or replace macro _crm_text_full(v) as
    nullif(trim(replace(replace(v, chr(160), ' '), chr(65279), ''), ' ' || chr(9) || chr(13) || chr(10)), '');
create or replace macro crm_text(v) as case
    when v = '' then null
    when v >= '!' and v[-1] >= '!' and strlen(v) = length(v) then v
    else _crm_text_full(v) end;

-- A plain ISO day (2024-03-31, most date columns) takes a cast instead of the format list below:
-- every format that fails costs about as much as one that matches. The cast gives the same value
-- for every YYYY-MM-DD text (checked over years 0000-9999, months 00-13, days 00-32); texts it
-- cannot read fall through to the list.
create or replace macro _crm_iso_day(t) as case
    when regexp_full_match(t, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then try_cast(t as date)::timestamp end;

-- Salesforce's '2024-03-31T09:15:00.000Z' comes next: a literal Z, which %z does not read, so
-- trying it before the offset formats changes no value and skips four failing parses. Each of
-- these two is tried only on texts of its shape (10 bytes; ending in Z): a failing parse costs
-- as much as one that matches, a length or last-character check almost nothing.
create or replace macro crm_ts_text(t, dmy) as coalesce(
    case when strlen(t) = 10 then _crm_iso_day(t) end,
    case when ends_with(t, 'Z') then try_strptime(t, ['%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%SZ'])
    end,
    timezone('UTC', try_strptime(t, [
        '%Y-%m-%dT%H:%M:%S.%g%z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z',
        '%Y-%m-%d %H:%M:%S.%g%z'])),
    try_strptime(t, [
        '%Y-%m-%dT%H:%M:%S.%g',
        '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%g', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M',
        '%Y-%m-%d', '%Y/%m/%d %H:%M:%S', '%Y/%m/%d', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M',
        '%d.%m.%Y']),
    case when dmy then try_strptime(t, [
        '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y %I:%M %p', '%d/%m/%Y', '%d-%m-%Y'])
    else try_strptime(t, [
        '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M %p', '%m/%d/%Y', '%m-%d-%Y'])
    end);
create or replace macro crm_ts(v, dmy) as crm_ts_text(crm_text(v), dmy);

create or replace macro crm_date_text(t, dmy) as crm_ts_text(t, dmy)::date;
create or replace macro crm_date(v, dmy) as crm_ts(v, dmy)::date;

create or replace macro crm_bool_text(t) as case
    when t is null then false
    when lower(t) in ('true', '1', 'yes', 'y', 't', 'x', 'ja', 'oui', 'sí', 'si') then true
    when lower(t) in ('false', '0', 'no', 'n', 'f', 'nein', 'non') then false
    end;
create or replace macro crm_bool(v) as crm_bool_text(crm_text(v));

-- '1.234,50' and '1,234.50': the separator that comes last, followed by 1-2 digits, is decimal.
-- Only currency symbols, a 3-letter currency code, spaces and apostrophes are dropped: '12k' stays
-- unreadable rather than silently becoming 12.
create or replace macro _crm_amount_digits(v) as regexp_replace(regexp_replace(
    regexp_replace(crm_text(v), '^\((.*)\)$', '-\1'),
    '^[A-Za-z]{3}[ ]?|[ ]?[A-Za-z]{3}$', ''), '[ ''’$€£¥₹]', '', 'g');
create or replace macro _crm_amount_number(v) as case
    when crm_text(v) is null then null
    when regexp_full_match(_crm_amount_digits(v), '-?[0-9.]*,[0-9]{1,2}')
        then try_cast(replace(replace(_crm_amount_digits(v), '.', ''), ',', '.') as double)
    when regexp_full_match(_crm_amount_digits(v), '-?[0-9]+(\.[0-9]{3})+')
        and not regexp_full_match(_crm_amount_digits(v), '-?0\.[0-9]+')
        then try_cast(replace(_crm_amount_digits(v), '.', '') as double)
    else try_cast(replace(_crm_amount_digits(v), ',', '') as double)
    end;
-- No deal is worth a quadrillion: larger values (1e308, 'inf', 'nan') are unreadable, so no
-- sum of amounts can overflow to infinity on a page. A plain number with at most two decimals
-- (most exports) is read by a cast: the rules above give it the same value, at many times the cost.
create or replace macro crm_amount_text(t) as case
    when regexp_full_match(t, '-?[0-9]{1,15}(\.[0-9]{1,2})?') then try_cast(t as double)
    when abs(_crm_amount_number(t)) <= 1e15 then _crm_amount_number(t) end;
create or replace macro crm_amount(v) as crm_amount_text(crm_text(v));

-- crm_ts_excel(v, dmy): crm_ts, or for a spreadsheet cell a date Excel stored as a plain serial
-- number (45352 = 2024-03-01; days since 1899-12-30, the fraction is the time of day). Used only
-- for files read from XLSX/XLS/ODS, where a bare number in a date column can mean nothing else.
create or replace macro crm_ts_excel(v, dmy) as coalesce(crm_ts(v, dmy), case
    when regexp_full_match(crm_text(v), '[0-9]{1,7}(\.[0-9]+)?')
        and try_cast(crm_text(v) as double) between 1 and 2958465
    then timestamp '1899-12-30'
        + to_microseconds(round(try_cast(crm_text(v) as double) * 86400000000)::bigint)
    end);
