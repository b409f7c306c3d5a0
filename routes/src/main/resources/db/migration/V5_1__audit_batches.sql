-- One chained entry per batch (issue 12): an append of N audit records (a journal batch, a dispatch
-- round; an operator's single act is a batch of one) adds one row here, chained as audit rows were,
-- whose root is the Merkle root (RFC 6962 hashing, as the batch receipts) over its records.
-- hash = sha256hex(prev_hash \n "batch" \n seq \n at (UTC, millis) \n first_record \n records \n root)
-- A record's leaf is SHA-256(0x00 || seq \n at \n actor \n action \n subject \n detail as sorted-key
-- JSON); audit.path holds its siblings up to the root (33 bytes a step: 1 if the sibling is on the
-- left, else 0, then its hash), so audit-verify names the record that was altered, not just its
-- batch. See vn.lienthong.gateway.audit.AuditLog.
create table audit_batch (
    seq           bigint primary key,
    at            timestamptz not null,
    first_record  bigint      not null,            -- audit.seq of its first record; the others follow
    records       integer     not null check (records > 0),
    root          text        not null check (char_length(root) = 64),
    prev_hash     text        not null check (char_length(prev_hash) = 64),
    hash          text        not null check (char_length(hash) = 64)
);

-- Records appended before this migration keep their own prev_hash and hash (chained one by one);
-- records appended after it name their batch and path instead, and the first batch chains to the
-- hash of the last record chained one by one.
alter table audit
    alter column prev_hash drop not null,
    alter column hash drop not null,
    add column batch bigint,
    add column path  bytea,
    add constraint audit_chained_one_way check ((batch is null) = (path is null)
        and (batch is null) = (hash is not null) and (hash is null) = (prev_hash is null));
