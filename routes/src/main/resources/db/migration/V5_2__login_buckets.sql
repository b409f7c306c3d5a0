-- Brute-force limits shared by every gateway instance (issue 14 point 6; DESIGN.md §7: no
-- instance-local state): Bucket4j's PostgreSQL proxy manager keeps one token bucket per source
-- address and per client id here, updated under SELECT ... FOR UPDATE, so failures counted on one
-- instance count on all. A row exists only once its key has failed; expires_at (epoch milliseconds)
-- is when the bucket would be full again, after which the row is removed (LoginThrottle).
create table login_bucket (
    id          text   primary key,  -- source|<failures>/<period>|<address> or client|<failures>/<period>|<client id>
    state       bytea,               -- Bucket4j's serialized bucket (null for the moment of its creation)
    expires_at  bigint
);
create index login_bucket_expiry on login_bucket (expires_at);
