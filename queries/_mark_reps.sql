-- Marks who counts as a rep: owns at least one deal, is not excluded by ID, email, name or role,
-- and, when crmproof.yml lists reps.only, is on that list. Assistants and integration users stay
-- in the table (their names explain proxy entries) with is_rep = false.
update reps set is_rep = (
    rep_id in (select owner_rep_id from deals where owner_rep_id is not null)
    and not list_has_any($exclude::varchar[],
                         [lower(rep_id), lower(coalesce(email, '')), lower(coalesce(name, '')),
                          lower(coalesce(role, ''))])
    and (len($only::varchar[]) = 0
         or list_has_any($only::varchar[],
                         [lower(rep_id), lower(coalesce(email, '')), lower(coalesce(name, ''))]))
);
