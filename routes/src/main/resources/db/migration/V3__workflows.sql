-- Workflows (DESIGN.md 7a): what became of each freeze, takedown and information request. A case
-- is opened and advanced only in the transaction that records the message (or the delivery) that
-- moves it, or by the deadline sweep; every transition is a row here and an entry in the audit chain.

create table workflow_case (
    id                  uuid primary key,
    kind                text        not null check (kind in ('freeze', 'takedown', 'info')),
    request_message_id  uuid        not null,          -- the freeze.request, takedown.request or info.request
    request_seq         bigint      not null references message (seq),
    requester           text        not null,
    responder           text        not null,          -- SBV, the platform, the agency asked
    state               text        not null,
    measure             text,                          -- FREEZE | DELAY (freeze cases)
    legal_ground        text,                          -- the decision's legal ground code (freeze cases)
    -- sha256 of requester, decision number, bank BIN and account number: the conflict rule's key,
    -- without the account number in clear
    decision_key        text,
    release_message_id  uuid,                          -- the RELEASE that asks to lift it
    opened_at           timestamptz not null,
    delivered_at        timestamptz,
    due_at              timestamptz,                   -- when the responder's answer is due
    ends_at             timestamptz,                   -- when the measure lapses (a DELAY's end, a FREEZE's named end)
    closed_at           timestamptz,
    updated_at          timestamptz not null,
    constraint workflow_case_request unique (request_message_id, responder)
);
-- A second FREEZE or DELAY for the same decision and account while one is in force is a conflict:
-- refused at ingress, and refused here too when two race past the check.
create unique index workflow_case_one_in_force on workflow_case (decision_key)
    where kind = 'freeze' and state in ('REQUESTED', 'DELIVERED', 'EXECUTED', 'PARTIALLY_EXECUTED');
create index workflow_case_release on workflow_case (release_message_id) where release_message_id is not null;
create index workflow_case_open_due on workflow_case (due_at) where closed_at is null;
create index workflow_case_ends on workflow_case (ends_at) where closed_at is null and ends_at is not null;

-- The listings of a takedown case, each with its own outcome.
create table workflow_listing (
    case_id   uuid not null references workflow_case (id),
    url       text not null,
    state     text not null check (state in ('REQUESTED', 'REMOVED', 'REFUSED', 'NOT_FOUND', 'PENDING')),
    note      text,
    decided_at timestamptz,
    primary key (case_id, url)
);

-- Every transition, with the message that caused it (null for time: a lapse or a deadline).
create table workflow_transition (
    id          bigserial primary key,
    case_id     uuid        not null references workflow_case (id),
    from_state  text,
    to_state    text        not null,
    message_id  uuid,
    cause       text        not null,
    at          timestamptz not null
);
create index workflow_transition_case on workflow_transition (case_id, id);

-- One escalation per case and deadline, whichever instance sees it first: the primary key is the
-- "exactly once".
create table workflow_escalation (
    case_id     uuid        not null references workflow_case (id),
    deadline    text        not null,                  -- due | ends
    message_id  uuid        not null,                  -- the deadline.overdue the gateway sent
    at          timestamptz not null,
    primary key (case_id, deadline)
);
