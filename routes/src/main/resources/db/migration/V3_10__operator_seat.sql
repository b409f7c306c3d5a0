-- The operator's seat (issue 10): an operator may abandon a FAILED delivery (it stops holding its
-- order key), and pause dispatch to one recipient. Versioned 3.10 so that it sorts after V3 of
-- other work without colliding with it.

alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('PENDING', 'DELIVERED', 'ACKNOWLEDGED', 'FAILED', 'ABANDONED'));
alter table delivery
    add column abandoned_at   timestamptz,
    add column abandon_reason text;

-- Recipients whose deliveries are not claimed while they are here (an operator paused them).
create table recipient_pause (
    recipient  text        primary key,
    paused_at  timestamptz not null,
    paused_by  text        not null,               -- the person (person:<user name>)
    reason     text        not null
);

-- Searches of the operator API: by sender or recipient over time, by status, by channel.
create index message_sender_received on message (sender, received_at);
create index message_channel_received on message (channel, received_at);
create index delivery_recipient_message on delivery (recipient, message_seq);
create index delivery_status_message on delivery (status, message_seq) where status in ('PENDING', 'FAILED', 'ABANDONED');
