package vn.lienthong.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.TestDatabase;

/** The command operators run: its output and exit status. */
class AuditVerifyCommandTest {

    private DataSource ds;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        JdbcJournal journal = new JdbcJournal(ds);
        for (int i = 0; i < 4; i++) {
            journal.record(List.of(Entries.accepted("PROV.79", UUID.randomUUID(), "r", Entries.push("MOIT.ECDE", null))));
        }
    }

    @Test
    void anIntactChainExitsZero() {
        assertThat(run(new String[] {TestDatabase.jdbcUrl(), "postgres", ""}, Map.of())).isZero();
        assertThat(stdout()).isEqualTo("audit chain OK: 4 entries\n");
    }

    @Test
    void theConnectionMayComeFromTheEnvironment() {
        assertThat(run(new String[0], Map.of("LIENTHONG_DB_URL", TestDatabase.jdbcUrl(),
                "LIENTHONG_DB_USER", "postgres"))).isZero();
        assertThat(stdout()).isEqualTo("audit chain OK: 4 entries\n");
    }

    @Test
    void aBrokenChainExitsOneAndNamesTheEntry() {
        new JdbcTemplate(ds).update("update audit set subject = 'x' where seq = 2");
        assertThat(run(new String[] {TestDatabase.jdbcUrl()}, Map.of())).isEqualTo(1);
        assertThat(stdout()).isEqualTo("audit chain BROKEN at entry 2: hash mismatch: the entry's content was altered\n");
    }

    @Test
    void aJournalBatchIsOneChainedEntryAndItsAlteredMessageIsNamed() {
        new JdbcJournal(ds).record(List.of(
                Entries.accepted("PROV.79", UUID.randomUUID(), "r", Entries.push("MOIT.ECDE", null)),
                Entries.accepted("PROV.79", UUID.randomUUID(), "r", Entries.push("MOIT.ECDE", null)),
                Entries.accepted("PROV.79", UUID.randomUUID(), "r", Entries.push("MOIT.ECDE", null))));
        JdbcTemplate db = new JdbcTemplate(ds);
        assertThat(db.queryForObject("select count(*) from audit_batch", Integer.class)).isEqualTo(5);
        assertThat(db.queryForObject("select records from audit_batch where seq = 5", Integer.class)).isEqualTo(3);
        assertThat(run(new String[] {TestDatabase.jdbcUrl()}, Map.of())).isZero();
        assertThat(stdout()).isEqualTo("audit chain OK: 7 entries\n");
        out.reset();
        db.update("update audit set detail = jsonb_set(detail, '{sender}', '\"MPS.A05\"') where seq = 6");
        assertThat(run(new String[] {TestDatabase.jdbcUrl()}, Map.of())).isEqualTo(1);
        assertThat(stdout()).isEqualTo("audit chain BROKEN at entry 6: hash mismatch: the entry's content was altered\n");
    }

    @Test
    void withoutADatabaseItSaysHowToCallIt() {
        assertThat(run(new String[0], Map.of())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage:");
    }

    @Test
    void anUnreachableDatabaseIsNotAnIntactChain() {
        assertThat(run(new String[] {"jdbc:postgresql://127.0.0.1:1/none", "u", "secret-password"}, Map.of()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("audit chain not verified")
                .doesNotContain("secret-password");
    }

    private int run(String[] args, Map<String, String> env) {
        return AuditVerifyCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
