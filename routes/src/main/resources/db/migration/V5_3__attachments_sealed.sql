-- Attachments sealed at rest (issue 14, point 3): each stored blob names the data key (table data_key,
-- scope 'attachment') that sealed it, so a key rotation leaves old blobs readable under their own key
-- and a retention purge that shreds a key knows which blobs went with it. Null: kept in clear (stored
-- before sealing was on, or by a store without sealing).
alter table attachment_upload add column data_key_id text;
create index attachment_upload_data_key on attachment_upload (data_key_id) where data_key_id is not null;
