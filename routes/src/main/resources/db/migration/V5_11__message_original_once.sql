-- Issue 12 (the tax CSV's rows): an original that is its own canonical form (a multi-row file's
-- item, whose original is its JSON) is stored once. Nothing changes in the table's shape: original
-- is nullable since V4_6 (retention). The column's meaning is written down here.
comment on column message.original is
    'the sealed bytes as received; null while body_purged_at is null: the original is the canonical (stored once)';
