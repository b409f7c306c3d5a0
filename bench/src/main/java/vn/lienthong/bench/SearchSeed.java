package vn.lienthong.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fills the journal of an empty, migrated database with N messages and their deliveries, in SQL
 * ({@code generate_series}, so nothing crosses the wire): realistic flows of senders, types and
 * recipients (the registry's agencies, weighted by how much each sends), a year of receive times
 * in acceptance order, correlated cases, and a few FAILED and ABANDONED deliveries.
 *
 * <p>The secondary indexes are dropped before the rows go in and rebuilt from their own
 * definitions after (as a bulk load should), then the tables are vacuumed and analyzed, as
 * autovacuum would leave them.
 */
final class SearchSeed {

    /** Share of deliveries left FAILED: about one in ten thousand, as after a few real outages. */
    static final double FAILED_SHARE = 0.0001;
    static final double ABANDONED_SHARE = 0.00002;
    /** Rows per insert statement: progress shows, and one statement never holds the whole load. */
    private static final int CHUNK = 500_000;

    /**
     * The flows: sender, type, recipients, the sender's channel, relative weight. Types follow who
     * may say what in config/agencies.yaml; the weights make a few big senders and a long tail.
     */
    static final List<Flow> FLOWS = List.of(
            new Flow("MPS.C03", "freeze.request", "SBV", "rest", 80),
            new Flow("SBV", "freeze.report", "MPS.C03", "jms", 75),
            new Flow("MPS.C03", "info.request", "SBV", "rest", 60),
            new Flow("SBV", "info.response", "MPS.C03", "jms", 55),
            new Flow("MPS.C03", "takedown.request", "PLATFORM.SHOPEE", "rest", 40),
            new Flow("PLATFORM.SHOPEE", "takedown.report", "MPS.C03", "rest", 38),
            new Flow("MPS.C03", "takedown.request", "PLATFORM.LAZADA", "rest", 20),
            new Flow("PLATFORM.LAZADA", "takedown.report", "MPS.C03", "rest", 19),
            new Flow("MPS.C03", "takedown.request", "PLATFORM.TIKTOKSHOP", "rest", 25),
            new Flow("PLATFORM.TIKTOKSHOP", "takedown.report", "MPS.C03", "rest", 24),
            new Flow("MPS.C03", "takedown.request", "PLATFORM.TIKI", "rest", 6),
            new Flow("PLATFORM.TIKI", "takedown.report", "MPS.C03", "rest", 6),
            new Flow("MPS.C03", "takedown.request", "PLATFORM.TEMU", "rest", 4),
            new Flow("PLATFORM.TEMU", "takedown.report", "MPS.C03", "rest", 3),
            new Flow("MOIT.DMS", "violation.notice", "MPS.C03", "kafka", 90),
            new Flow("MOIT.DMS", "violation.notice", "MOF.TAX", "kafka", 45),
            new Flow("MOF.CUSTOMS", "violation.notice", "MOIT.DMS", "sftp", 30),
            new Flow("MOF.TAX", "violation.notice", "MOIT.DMS", "kafka", 25),
            new Flow("MOF.TAX", "info.request", "SBV", "kafka", 15),
            new Flow("SBV", "info.response", "MOF.TAX", "jms", 14),
            new Flow("MOIT.DMS", "info.request", "MOF.TAX", "kafka", 20),
            new Flow("MOF.TAX", "info.response", "MOIT.DMS", "kafka", 19),
            new Flow("MPS.A05", "case.transfer", "MPS.C03", "jms", 12),
            new Flow("MOIT.ECDE", "violation.notice", "MOIT.DMS", "rest", 10),
            new Flow("MOIT.NCC", "violation.notice", "MOIT.DMS", "rest", 6),
            new Flow("PROV.01", "report.periodic", "MOIT.DMS", "sftp", 3),
            new Flow("PROV.37", "report.periodic", "MOIT.DMS", "sftp", 2),
            new Flow("PROV.79", "report.periodic", "MOIT.DMS", "sftp", 3),
            new Flow("MOIT.DMS", "report.periodic", "BCD389", "rest", 1),
            new Flow("GATEWAY", "deadline.overdue", "MPS.C03", "rest", 1));

    /** One flow of the seed. */
    record Flow(String sender, String type, String recipient, String channel, int weight) {
    }

    private SearchSeed() {
    }

    /** Seeds {@code messages} messages (with 1–2 deliveries each) into the empty journal of {@code c}; random seed fixed. */
    static void seed(Connection c, long messages, PrintStream progress) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("set synchronous_commit = off");
            // Foreign-key triggers off for the load: every delivery's message is inserted first, by construction.
            s.execute("set session_replication_role = replica");
            s.execute("set maintenance_work_mem = '512MB'");
            s.execute("create temporary table seed_flow (id int primary key, sender text, type text,"
                    + " recipient text, channel text, lo float8, hi float8)");
            int total = FLOWS.stream().mapToInt(Flow::weight).sum();
            int acc = 0;
            for (int i = 0; i < FLOWS.size(); i++) {
                Flow f = FLOWS.get(i);
                double lo = (double) acc / total;
                acc += f.weight();
                double hi = i == FLOWS.size() - 1 ? 1.0000001 : (double) acc / total;
                s.execute(String.format(Locale.ROOT, "insert into seed_flow values (%d, '%s', '%s', '%s', '%s', %s, %s)",
                        i, f.sender(), f.type(), f.recipient(), f.channel(), lo, hi));
            }
            s.execute("select setseed(0.4242)");
            List<String> rebuild = dropSecondaryIndexes(s);
            // A few FAILED at any size: one in ten thousand, and at least about twenty in all.
            double failed = Math.max(FAILED_SHARE, 20.0 / messages);
            long start = System.nanoTime();
            for (long lo = 1; lo <= messages; lo += CHUNK) {
                long hi = Math.min(messages, lo + CHUNK - 1);
                // A year up to now, in acceptance order; one message in five also copied to BCD389 (the
                // steering committee) when it is a violation notice.
                s.execute(String.format(Locale.ROOT, """
                        insert into message (seq, message_id, sender, type, recipients, correlation_id, priority,
                            classification, created_at, received_at, channel, source, input_sha256, original,
                            canonical, receipt)
                        select g, gen_random_uuid(), f.sender, f.type,
                            case when f.type = 'violation.notice' and r.b < 0.2 then array[f.recipient, 'BCD389']
                                 else array[f.recipient] end,
                            case when r.c < 0.4 then 'HS-' || lpad((g / 4)::text, 9, '0') end,
                            case when r.b < 0.05 then 'urgent' else 'normal' end,
                            case when r.b < 0.1 then 'restricted' when r.b < 0.6 then 'confidential' else 'internal' end,
                            t.at - interval '2 seconds', t.at, f.channel, 'lienthong.' || lower(f.sender) || '.in',
                            md5(g::text) || md5((g + 1)::text),
                            decode(repeat(md5(g::text), 9), 'hex'), decode(repeat(md5(g::text), 9), 'hex'),
                            decode(repeat(md5((-g)::text), 5), 'hex')
                        from generate_series(%d, %d) g
                        cross join lateral (select random() a, random() b, random() c, g as k) r
                        join seed_flow f on r.a >= f.lo and r.a < f.hi
                        cross join lateral (select now() - interval '365 days'
                            + (g::float8 / %d) * interval '365 days' + (r.c * interval '1 second') as at) t
                        """, lo, hi, messages));
                s.execute(String.format(Locale.ROOT, """
                        insert into delivery (id, message_seq, recipient, channel, address, format, order_key,
                            urgent, status, attempts, next_attempt_at, last_error, created_at, updated_at,
                            delivered_at, acknowledged_at, abandoned_at, abandon_reason)
                        select gen_random_uuid(), m.seq, rc, 'rest', 'https://' || lower(rc) || '.example/in',
                            'canonical-json', case when m.correlation_id is not null
                                then m.sender || '|' || rc || '|' || m.correlation_id end,
                            m.priority = 'urgent', st.status,
                            case when st.status in ('FAILED', 'ABANDONED') then 12 else 1 end,
                            m.received_at,
                            case when st.status in ('FAILED', 'ABANDONED') then 'HTTP 503 from the recipient' end,
                            m.received_at, m.received_at + interval '1 second',
                            case when st.status in ('DELIVERED', 'ACKNOWLEDGED') then m.received_at + interval '1 second' end,
                            case when st.status = 'ACKNOWLEDGED' then m.received_at + interval '5 seconds' end,
                            case when st.status = 'ABANDONED' then m.received_at + interval '1 day' end,
                            case when st.status = 'ABANDONED' then 'the recipient confirmed receipt by phone' end
                        from message m
                        cross join lateral unnest(m.recipients) rc
                        cross join lateral (select case
                            when p < %s then 'FAILED'
                            when p < %s then 'ABANDONED'
                            when m.received_at > now() - interval '2 minutes' then 'PENDING'
                            when p < 0.7 then 'ACKNOWLEDGED' else 'DELIVERED' end as status
                            from (select random() p, m.seq) x) st
                        where m.seq between %d and %d
                        order by m.seq
                        """, failed, failed + ABANDONED_SHARE, lo, hi));
                progress.printf(Locale.ROOT, "  seeded %,d / %,d messages (%.0f s)%n", hi, messages,
                        (System.nanoTime() - start) / 1e9);
            }
            s.execute("select setval('message_seq_seq', (select coalesce(max(seq), 1) from message))");
            progress.printf(Locale.ROOT, "  rebuilding %d indexes...%n", rebuild.size());
            for (String definition : rebuild) {
                long t = System.nanoTime();
                s.execute(definition);
                progress.printf(Locale.ROOT, "    %s (%.0f s)%n", definition, (System.nanoTime() - t) / 1e9);
            }
            s.execute("set session_replication_role = origin");
            progress.println("  vacuum analyze...");
            s.execute("vacuum analyze message");
            s.execute("vacuum analyze delivery");
            progress.printf(Locale.ROOT, "  seeded in %.0f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    /** Drops the indexes of message and delivery that no constraint needs; returns their definitions. */
    private static List<String> dropSecondaryIndexes(Statement s) throws SQLException {
        List<String> definitions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select i.indexname, i.indexdef from pg_indexes i"
                + " where i.schemaname = current_schema() and i.tablename in ('message', 'delivery')"
                + " and not exists (select 1 from pg_constraint k where k.conname = i.indexname)")) {
            while (rs.next()) {
                names.add(rs.getString(1));
                definitions.add(rs.getString(2));
            }
        }
        for (String name : names) {
            s.execute("drop index \"" + name + "\"");
        }
        return definitions;
    }
}
