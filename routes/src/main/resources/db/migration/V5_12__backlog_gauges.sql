-- The backlog gauges (GatewayMetrics, read every 10 s; issue 12): each recipient's PENDING and
-- FAILED deliveries counted, and its oldest PENDING one's age, from this index alone (index-only
-- scans, one range per recipient and status; the oldest is the range's first entry), so the read
-- costs in proportion to the backlog, never a sequential scan of delivery, whatever share of the
-- table the backlog is. Partial: DELIVERED rows, nearly all of a settled table, are not in it.
create index delivery_backlog on delivery (recipient, status, created_at) where status in ('PENDING', 'FAILED');
