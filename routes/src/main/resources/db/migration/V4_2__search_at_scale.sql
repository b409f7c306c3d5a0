-- Search at scale (issue 10 point 7): the operator API's searches stay under 300 ms at 10 million
-- messages (README, "Search at scale"). A search picks its page of seqs first (JdbcOperatorTracking),
-- so these indexes carry seq and let the planner answer from the index alone.

-- By sender over a time range: the range's entries, their seqs sorted, no table rows read.
create index message_sender_received_seq on message (sender, received_at) include (seq);
drop index message_sender_received;

-- By recipient and type: the type's seqs newest first, each checked against the recipient's
-- deliveries (delivery_recipient_message), both index-only, until the page is full.
create index message_type_seq on message (type, seq);
