-- A delivery delivered at its first attempt writes no delivery_attempt row (issue 12: PostgreSQL's
-- CPU per message): its delivery row already says it all (attempts = 1, delivered_at). This view is
-- the attempt history as it was before: the stored rows, and for each delivery delivered at its first
-- attempt without a stored row, that attempt (attempt 1, at delivered_at, DELIVERED). A delivery's
-- delivered_at is set once, by its successful attempt, and never cleared (only FAILED deliveries are
-- sent again), so the synthesized row is exactly the one that used to be stored. Rows stored before
-- this migration (or by the inbox, which still stores its own) are shown as stored, never twice.
-- Every reader of attempts reads this view, by delivery ids (delivery_id = x, or = any (array(...)));
-- writers insert into delivery_attempt.
create view delivery_attempt_history (id, delivery_id, attempt, at, outcome, error) as
    select a.id, a.delivery_id, a.attempt, a.at, a.outcome, a.error from delivery_attempt a
    union all
    select null::bigint, d.id, d.attempts, d.delivered_at, 'DELIVERED'::text, null::text from delivery d
    where d.delivered_at is not null and d.attempts = 1
        -- a scalar subquery, not "not exists": an anti join would keep this branch from being
        -- filtered by a reader's delivery ids (it would read every delivery); this way a reader's
        -- "delivery_id = any (...)" is two index look-ups per delivery
        and (select count(*) from delivery_attempt a where a.delivery_id = d.id) = 0;
