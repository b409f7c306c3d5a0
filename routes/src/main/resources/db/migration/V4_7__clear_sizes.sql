-- Bodies are sealed at rest (V4_6): the size of a refused input as received is kept beside it, since
-- octet_length(original) now measures the sealed bytes (and nothing once retention purged them).
alter table quarantine add column original_bytes integer;
update quarantine set original_bytes = octet_length(original) where original is not null;
