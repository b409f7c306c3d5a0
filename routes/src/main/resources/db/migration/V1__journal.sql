-- The journal: every accepted message, one delivery per recipient (the transactional outbox),
-- every delivery attempt, every refused input with its original bytes, and the hash-chained
-- audit log. Written in batches: one transaction per batch of inputs.

create table message (
    seq             bigserial primary key,         -- acceptance order
    message_id      uuid        not null,
    sender          text        not null,
    type            text        not null,
    recipients      text[]      not null,
    correlation_id  text,
    in_reply_to     uuid,
    priority        text        not null,
    classification  text        not null,
    created_at      timestamptz not null,          -- the sender's time
    received_at     timestamptz not null,          -- the gateway's time
    channel         text        not null,          -- rest | jms | kafka | sftp
    source          text        not null,          -- queue, topic, folder or path it came from
    input_sha256    text        not null,
    original        bytea       not null,          -- the bytes as received
    canonical       bytea       not null,          -- normalized canonical JSON, as delivered
    receipt         bytea       not null,          -- the receipt sent, returned again to duplicates
    -- (message_id, sender): also serves tracking by message id alone; on conflict (sender, message_id) infers it
    constraint message_sender_message_id unique (message_id, sender)
);
create index message_correlation on message (correlation_id) where correlation_id is not null;
create index message_type_received on message (type, received_at);
create index message_received on message (received_at);

create table delivery (
    id               uuid primary key,
    seq              bigserial   not null unique,  -- dispatch order = acceptance order
    message_seq      bigint      not null references message (seq),
    recipient        text        not null,
    channel          text        not null,         -- rest | jms | kafka | sftp
    address          text,                         -- queue, topic, folder or URL; null for inbox pull
    format           text        not null,         -- the recipient channel's format (connector)
    order_key        text,                         -- sender|recipient|correlationId: delivered in order
    urgent           boolean     not null default false, -- the message's priority: claimed ahead of normal traffic
    status           text        not null check (status in ('PENDING', 'DELIVERED', 'ACKNOWLEDGED', 'FAILED')),
    attempts         int         not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    delivered_at     timestamptz,
    acknowledged_at  timestamptz
);
-- The push queue of deliveries without an order key in claim order, and by due time for when a
-- backlog of retries waits in front (deliveries with a key are claimed through delivery_order_head).
create index delivery_queue on delivery (urgent desc, seq)
    where status = 'PENDING' and address is not null and order_key is null;
create index delivery_due on delivery (next_attempt_at)
    where status = 'PENDING' and address is not null and order_key is null;
-- The deliveries of a key that still hold it: the earliest is its head.
create index delivery_order on delivery (order_key, seq) where status in ('PENDING', 'FAILED') and order_key is not null;
create index delivery_failed on delivery (updated_at) where status = 'FAILED';
create index delivery_inbox on delivery (recipient, seq) where status in ('PENDING', 'DELIVERED') and address is null;
create index delivery_message on delivery (message_seq);

-- For each order key with a PENDING or FAILED delivery, the earliest of them: the only one of the
-- key that may be claimed. Maintained in the same transactions that change delivery status, and
-- only under the audit advisory lock (see OrderHeads), so a claim costs O(batch), not O(backlog).
create table delivery_order_head (
    order_key  text    primary key,
    head_seq   bigint  not null,                   -- delivery.seq of the head
    urgent     boolean not null                    -- the head's
);
create index delivery_order_head_queue on delivery_order_head (urgent desc, head_seq);

create table delivery_attempt (
    id           bigserial primary key,
    delivery_id  uuid        not null references delivery (id),
    attempt      int         not null,
    at           timestamptz not null,
    outcome      text        not null check (outcome in ('DELIVERED', 'ERROR')),
    error        text
);
create index delivery_attempt_delivery on delivery_attempt (delivery_id, attempt);

create table quarantine (
    id              uuid primary key,
    received_at     timestamptz not null,
    channel         text        not null,
    source          text        not null,
    claimed_sender  text,                          -- the channel's owner, when known
    message_id      uuid,                          -- when the input had a readable one
    input_sha256    text        not null,
    original        bytea       not null,
    errors          jsonb       not null,          -- [{code, pointer, message}]
    receipt         bytea       not null
);
create index quarantine_received on quarantine (received_at);
create index quarantine_sender on quarantine (claimed_sender, received_at);

-- Each entry's hash covers the previous entry's hash and its own content; appends are
-- serialized by a transaction-level advisory lock, so the chain has one order across instances.
-- hash = sha256hex(prev_hash \n seq \n at (UTC, millis) \n actor \n action \n subject \n
-- detail as sorted-key JSON): see vn.lienthong.gateway.journal.AuditLog.
create table audit (
    seq        bigint primary key,
    at         timestamptz not null,
    actor      text        not null,               -- agency code, GATEWAY or an operator
    action     text        not null,
    subject    text        not null,               -- message, delivery or quarantine id
    detail     jsonb       not null,
    prev_hash  text        not null check (char_length(prev_hash) = 64),
    hash       text        not null check (char_length(hash) = 64)
);
create index audit_subject on audit (subject);
