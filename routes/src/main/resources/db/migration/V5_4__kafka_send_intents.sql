-- Kafka deliveries exactly once (issue 14 point 2): before a dispatch round opens its Kafka
-- transaction, it commits one intent per Kafka delivery here, in a short transaction of its own; the
-- round's outcome step deletes them in the round's own transaction. An intent that survives means a
-- round sent (maybe) and never recorded its outcome (an instance killed, PostgreSQL restarted, the
-- Kafka commit's result unknown). The claim leaves such a delivery alone until the intent is older
-- than the settle time (the Kafka transaction timeout and a margin: by then the coordinator has
-- committed or aborted that transaction), then looks its delivery id up on the topic before sending.
create table kafka_send_intent (
    delivery_id  uuid         primary key,
    topic        text         not null,
    at           timestamptz  not null default now()
);
