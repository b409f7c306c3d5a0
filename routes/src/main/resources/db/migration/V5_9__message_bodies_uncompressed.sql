-- The message's bodies are sealed at rest (AES-GCM: incompressible) and its receipt is a JWS
-- (base64url): PostgreSQL's TOAST tried to compress each of them on every insert of a row over 2 KB
-- and gained nothing (measured: same sizes), for about 23 µs of CPU per message (issue 12, README
-- "PostgreSQL's rows per message"). EXTERNAL keeps them out of line when the row is large, as
-- before, without the compression attempt. Rows already stored are unchanged.
alter table message
    alter column original set storage external,
    alter column canonical set storage external,
    alter column receipt set storage external;
