-- When the gateway first swept for missing reports (ReportReminders): periods already past due then
-- are reminded only within lienthong.reports.catch-up, so a fresh gateway does not remind every
-- party of months it never carried. One row.
create table report_reminder_start (
    id smallint primary key default 1 check (id = 1),
    at timestamptz not null
);
