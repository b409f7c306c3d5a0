-- Reports: the reminders the gateway sent to parties that had not reported by the due day (its
-- primary key makes each once per period and party, across restarts and instances), and the
-- early-warning digests sent (once per week and recipient).

create table report_reminder (
    period      text        not null,              -- e.g. month:2026-10
    party       text        not null,              -- agency code that had not reported
    message_id  uuid        not null,              -- the deadline.overdue sent
    at          timestamptz not null,
    primary key (period, party)
);

-- The early-warning digests sent, once per ISO week and recipient (same idea). Consolidation and
-- early warning read the journal's message rows through message_type_received: no copy of figures.
create table warning_digest (
    week        text        not null,              -- ISO week, e.g. 2026-W49
    recipient   text        not null,
    message_id  uuid        not null,
    at          timestamptz not null,
    primary key (week, recipient)
);
