-- Attachments by claim check (issue 15, point 2): the bytes are in the attachment store
-- (content-addressed by SHA-256, outside the database); this table says which agency uploaded
-- which blob, since only the uploading agency may reference an upload in a message it sends.
-- Versioned 4.4 so that it sorts after V3_10 without colliding with other work of the same issue.

create table attachment_upload (
    sha256       text        not null check (sha256 ~ '^[0-9a-f]{64}$'),
    agency       text        not null,             -- the agency whose token uploaded it
    size         bigint      not null check (size >= 0),
    uploaded_at  timestamptz not null,              -- the latest upload of these bytes by this agency
    primary key (sha256, agency)
);
