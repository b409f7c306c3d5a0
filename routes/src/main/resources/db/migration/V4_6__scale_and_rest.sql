-- Scale-out and data at rest (issue 14).

-- Spring Integration's JDBC lock registry (its schema-postgresql.sql, unchanged): the SFTP folders'
-- leader election (cluster.FolderLeadership). A row is one held lock; it lapses after the TTL.
CREATE TABLE INT_LOCK (
    LOCK_KEY     CHAR(36)     NOT NULL,
    REGION       VARCHAR(100) NOT NULL,
    CLIENT_ID    CHAR(36),
    CREATED_DATE TIMESTAMP    NOT NULL,
    CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION)
);

-- Bodies at rest (atrest.DataKeys): AES-256 data keys, each wrapped by a key-encryption key of the
-- key store (kek_alias names which), one per scope (classification, 'quarantine', 'attachment') and
-- rotation period. A sealed body names its key; deleting a key shreds what it sealed.
create table data_key (
    id          text        primary key,
    scope       text        not null,
    kek_alias   text        not null,
    wrapped     bytea       not null,
    created_at  timestamptz not null
);
create index data_key_scope on data_key (scope, created_at);

-- Retention (atrest.Retention): bodies past their classification's period are purged, metadata,
-- receipts and audit kept.
alter table message alter column original drop not null;
alter table message alter column canonical drop not null;
alter table message add column body_purged_at timestamptz;
alter table quarantine alter column original drop not null;
alter table quarantine add column body_purged_at timestamptz;
create index message_retention on message (classification, received_at) where body_purged_at is null;
