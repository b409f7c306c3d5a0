package vn.lienthong.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.lienthong.gateway.tracking.JdbcOperatorTracking;
import vn.lienthong.gateway.tracking.MessageQuery;
import vn.lienthong.gateway.tracking.MessageSummary;
import vn.lienthong.gateway.tracking.OperatorTracking;

/**
 * The search benchmark's short variant: 20,000 seeded messages on a real PostgreSQL migrated by the
 * gateway's migrations, and each common search of the operator API (through
 * {@link JdbcOperatorTracking}, as the benchmark times it) returns exactly the rows, in the order,
 * that a plain reference query over the same tables gives — the indexes and the page-first query
 * change the plan, never the answer. No timings are asserted.
 */
class SearchBenchmarkTest {

    private static final int MESSAGES = 20_000;
    private static EmbeddedPostgres postgres;
    private static HikariDataSource ds;
    private static final ByteArrayOutputStream PROGRESS = new ByteArrayOutputStream();

    @BeforeAll
    static void seed() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "search-pg-");
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
        ds = SearchBenchmark.dataSource(postgres.getJdbcUrl("postgres", "postgres"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        try (Connection c = ds.getConnection()) {
            SearchSeed.seed(c, MESSAGES, new PrintStream(PROGRESS, true, StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (ds != null) {
            ds.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theSeedHasEveryMessageItsDeliveriesAndAFewFailed() throws Exception {
        assertThat(count("select count(*) from message")).isEqualTo(MESSAGES);
        assertThat(count("select count(*) from delivery")).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(count("select count(*) from message m where not exists (select 1 from delivery d"
                + " where d.message_seq = m.seq)")).isZero();
        assertThat(count("select count(*) from delivery where status = 'FAILED'")).isBetween(5L, 100L);
        assertThat(count("select count(distinct sender) from message")).isGreaterThan(10);
        // The indexes the migrations define are all back after the bulk load.
        assertThat(count("select count(*) from pg_indexes where indexname in ('message_sender_received_seq',"
                + " 'message_type_seq', 'delivery_recipient_message', 'delivery_status_message')")).isEqualTo(4);
        assertThat(PROGRESS.toString(StandardCharsets.UTF_8)).contains("seeded 20,000 / 20,000 messages");
    }

    @Test
    void eachCommonSearchReturnsTheRowsOfThePlainQuery() throws Exception {
        OperatorTracking tracking = new JdbcOperatorTracking(ds);
        Map<String, Function<Integer, MessageQuery>> searches = SearchBenchmark.searches(ds, 10);
        assertThat(searches).hasSize(4);
        int nonEmpty = 0;
        for (Map.Entry<String, Function<Integer, MessageQuery>> search : searches.entrySet()) {
            for (int i = 0; i < 10; i++) {
                MessageQuery q = search.getValue().apply(i);
                OperatorTracking.Page<MessageSummary> page = tracking.search(q);
                List<UUID> expected = reference(q, 0);
                assertThat(page.items().stream().map(MessageSummary::messageId).toList())
                        .as(search.getKey() + " run " + i).isEqualTo(expected);
                nonEmpty += expected.isEmpty() ? 0 : 1;
                if (page.next() != null) {
                    // The keyset cursor continues exactly where the plain query's next page starts.
                    MessageQuery second = new MessageQuery(q.messageId(), q.correlationId(), q.sender(), q.recipient(),
                            q.type(), q.status(), q.channel(), q.classification(), q.from(), q.to(),
                            Long.parseLong(page.next()), q.limit());
                    assertThat(tracking.search(second).items().stream().map(MessageSummary::messageId).toList())
                            .as(search.getKey() + " page 2 of run " + i).isEqualTo(reference(q, q.limit()));
                }
                assertThat(page.totalEstimate()).as("the planner's estimate, never negative").isNotNegative();
            }
        }
        assertThat(nonEmpty).as("searches that found something").isGreaterThan(30);
    }

    @Test
    void theCommandMeasuresEverySearch() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<SearchBenchmark.Timing> timings = SearchBenchmark.measure(ds, 5, true,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(timings).extracting(SearchBenchmark.Timing::search).containsExactly("by correlationId",
                "by sender + time range (1 h to 30 days)", "by status FAILED", "by recipient + type");
        // The plans are printed, and no search counts the table to give its total.
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Execution Time").doesNotContain("count(*)");
    }

    /** The same search as the simplest SQL there is: filters, newest first, offset paging. */
    private static List<UUID> reference(MessageQuery q, int offset) throws Exception {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (q.correlationId() != null) {
            where.add("m.correlation_id = ?");
            params.add(q.correlationId());
        }
        if (q.sender() != null) {
            where.add("m.sender = ?");
            params.add(q.sender());
        }
        if (q.type() != null) {
            where.add("m.type = ?");
            params.add(q.type());
        }
        if (q.from() != null) {
            where.add("m.received_at >= ?");
            params.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            where.add("m.received_at < ?");
            params.add(Timestamp.from(q.to()));
        }
        if (q.recipient() != null) {
            where.add("m.seq in (select d.message_seq from delivery d where d.recipient = ?)");
            params.add(q.recipient());
        }
        if (q.status() != null) {
            where.add("m.seq in (select d.message_seq from delivery d where d.status = ?)");
            params.add(q.status());
        }
        String sql = "select m.message_id from message m" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by m.seq desc limit " + q.limit() + " offset " + offset;
        List<UUID> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
