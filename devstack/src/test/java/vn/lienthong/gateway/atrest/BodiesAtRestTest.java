package vn.lienthong.gateway.atrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.KeyGenerator;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.dispatch.DeliveryOutcome;
import vn.lienthong.gateway.dispatch.DueDelivery;
import vn.lienthong.gateway.dispatch.JdbcOutbox;
import vn.lienthong.gateway.dispatch.RetryPolicy;
import vn.lienthong.gateway.inbox.InboxItem;
import vn.lienthong.gateway.inbox.JdbcInbox;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.tracking.JdbcOperatorTracking;
import vn.lienthong.gateway.tracking.OperatorTracking;

/**
 * Bodies at rest on a real PostgreSQL: message and quarantine bytes are sealed (no CCCD, tax code,
 * account or phone number in the raw tables), the outbox, inbox and tracking read them clear, a new
 * key-encryption key wraps new data keys while old rows open unchanged, and the retention purge (on
 * a controlled clock) nulls the bodies past their period, shreds their data keys, keeps metadata,
 * receipts and deliveries, and audits itself with the chain still verifying.
 */
class BodiesAtRestTest {

    /** A CCCD, a tax code, a bank account and a phone number, as a notice's text may carry them. */
    private static final List<String> IDENTIFIERS = List.of("001204012345", "0312345678", "19036789012345", "0912345678");
    private static final Pattern DIGIT_RUNS = Pattern.compile("\\d{9,}");
    private static final Duration ROTATION = Duration.ofDays(30);
    private static final char[] PASSWORD = "test-at-rest".toCharArray();

    private DataSource ds;
    private JdbcTemplate db;
    private Path store;
    private Instant now;

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        db.update("delete from data_key");
        Path dir = Path.of("target").toAbsolutePath().resolve("at-rest-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
        store = dir.resolve("keys.p12");
        now = Instant.now();
    }

    @Test
    void bodiesAreSealedReadableRotatedAndPurged() throws Exception {
        KeyEncryptionKeys first = KeyEncryptionKeys.configured(store.toString(), new String(PASSWORD), "", true);
        assertThat(first.current()).isEqualTo(KeyEncryptionKeys.EMBEDDED_ALIAS);
        DataKeys keys = new DataKeys(ds, first, ROTATION, Clock.fixed(now, ZoneOffset.UTC));
        BodyCipher cipher = new AesGcmBodyCipher(keys);

        JournalEntry.Accepted pushed = withIdentifiers(Entries.accepted("PROV.79", UUID.randomUUID(), "receipt-1",
                Entries.push("MOIT.ECDE", null)));
        JournalEntry.Accepted pulled = withIdentifiers(Entries.accepted("PROV.79", UUID.randomUUID(), "receipt-2",
                Entries.pull("MPS.A05")));
        UUID quarantineId = UUID.randomUUID();
        byte[] refusedBytes = ("{\"cccd\":\"" + IDENTIFIERS.get(0) + "\",\"account\":\"" + IDENTIFIERS.get(2)
                + "\",\"taxCode\":\"" + IDENTIFIERS.get(1) + "\",\"phone\":\"" + IDENTIFIERS.get(3) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        new JdbcJournal(ds).withCipher(cipher).record(List.of(pushed, pulled,
                Entries.refused(quarantineId, refusedBytes, "refused-receipt")));

        // The raw tables: every body sealed, not one identifier in clear.
        List<byte[]> raw = rawBodies();
        // Two canonical bodies (each message's original is its canonical form: stored once) and the refused input.
        assertThat(raw).hasSize(3).allSatisfy(b -> assertThat(AesGcmBodyCipher.sealed(b)).isTrue());
        assertNoIdentifierIn(raw, pushed.canonical());
        // Metadata stays clear (search and the console use it).
        assertThat(db.queryForObject("select count(*) from message where sender = 'PROV.79' and type = 'violation.notice'",
                Long.class)).isEqualTo(2);

        // Dispatch, the inbox and tracking read the bodies clear.
        List<byte[]> delivered = new java.util.ArrayList<>();
        new JdbcOutbox(ds, new RetryPolicy(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1))).withCipher(cipher)
                .dispatch(10, due -> {
                    List<DeliveryOutcome> outcomes = new java.util.ArrayList<>();
                    for (DueDelivery d : due) {
                        delivered.add(d.canonical());
                        outcomes.add(new DeliveryOutcome.Delivered(d.id()));
                    }
                    return outcomes;
                });
        assertThat(delivered).containsExactly(pushed.canonical());
        List<InboxItem> inbox = new JdbcInbox(ds).withCipher(cipher).inbox("MPS.A05", 10);
        assertThat(inbox).singleElement().satisfies(i -> assertThat(i.canonical()).isEqualTo(pulled.canonical()));
        JdbcOperatorTracking tracking = new JdbcOperatorTracking(ds).withCipher(cipher);
        OperatorTracking.Act act = new OperatorTracking.Act("operator", "person-1", "checking at-rest sealing");
        assertThat(tracking.body(pushed.message().messageId(), null, act)).get()
                .isInstanceOfSatisfying(OperatorTracking.Body.Shown.class, shown -> assertThat(shown.canonical())
                        .isEqualTo(pushed.canonical()));
        assertThat(tracking.original(quarantineId, act)).get().isEqualTo(refusedBytes);

        // A new key-encryption key (alias kek-2): old rows are not rewritten and still open; the next
        // period's data key is wrapped by kek-2.
        byte[] before = db.queryForObject("select canonical from message where message_id = ?", byte[].class,
                pushed.message().messageId());
        addKey("kek-2");
        KeyEncryptionKeys second = KeyEncryptionKeys.configured(store.toString(), new String(PASSWORD), "kek-2", false);
        Instant later = now.plus(ROTATION).plusSeconds(3600);
        DataKeys rotated = new DataKeys(ds, second, ROTATION, Clock.fixed(later, ZoneOffset.UTC));
        BodyCipher rotatedCipher = new AesGcmBodyCipher(rotated);
        JournalEntry.Accepted next = withIdentifiers(Entries.accepted("PROV.79", UUID.randomUUID(), "receipt-3",
                Entries.pull("MPS.A05")));
        new JdbcJournal(ds).withCipher(rotatedCipher).record(List.of(next));
        assertThat(db.queryForList("select kek_alias from data_key where scope = 'internal' order by created_at",
                String.class)).containsExactly(KeyEncryptionKeys.EMBEDDED_ALIAS, "kek-2");
        assertThat(db.queryForObject("select canonical from message where message_id = ?", byte[].class,
                pushed.message().messageId())).isEqualTo(before);
        assertThat(rotatedCipher.open(before)).isEqualTo(pushed.canonical());

        // Retention, 40 days on, internal bodies kept 7 days, refused inputs 7 days.
        Clock fortyDaysOn = Clock.fixed(now.plus(Duration.ofDays(40)), ZoneOffset.UTC);
        Retention retention = new Retention(ds, rotated, Map.of("internal", Duration.ofDays(7),
                BodyCipher.QUARANTINE, Duration.ofDays(7)), fortyDaysOn);
        long auditBefore = db.queryForObject("select count(*) from audit", Long.class);
        Retention.Report report = retention.purge();
        assertThat(report.purged()).containsEntry("internal", 3).containsEntry(BodyCipher.QUARANTINE, 1);
        // The first period's keys are shredded (their bodies are all past the cutoff); kek-2's period is not over.
        assertThat(report.shreddedKeys()).hasSize(2);
        assertThat(db.queryForList("select kek_alias from data_key", String.class)).containsExactly("kek-2");
        assertThat(db.queryForObject("select count(*) from message where original is not null or canonical is not null",
                Long.class)).isZero();
        assertThat(db.queryForObject("select count(*) from quarantine where original is not null", Long.class)).isZero();
        // Metadata, receipts and deliveries stay.
        assertThat(db.queryForList("select convert_from(receipt, 'UTF8') from message order by seq", String.class))
                .containsExactly("receipt-1", "receipt-2", "receipt-3");
        assertThat(db.queryForObject("select count(*) from delivery", Long.class)).isEqualTo(3);
        assertThat(db.queryForObject("select count(*) from message where body_purged_at is not null", Long.class))
                .isEqualTo(3);
        // A copy of a purged body (a backup) no longer opens: its data key is gone.
        assertThatThrownBy(() -> new AesGcmBodyCipher(new DataKeys(ds, second, ROTATION, fortyDaysOn)).open(before))
                .isInstanceOf(AesGcmBodyCipher.ShreddedBodyException.class);
        // One audit entry for the run; the chain verifies; a second run finds nothing and audits nothing.
        assertThat(db.queryForObject("select count(*) from audit where action = 'BODIES_PURGED'", Long.class)).isEqualTo(1);
        assertThat(db.queryForObject("select count(*) from audit", Long.class)).isEqualTo(auditBefore + 1);
        assertThat(retention.purge().any()).isFalse();
        assertThat(AuditLog.verify(ds)).isInstanceOf(AuditVerification.Ok.class);
        // Purged bodies read as gone, not as an error.
        assertThat(tracking.original(quarantineId, act)).isEmpty();
    }

    @Test
    void productionWithoutAKeyStoreRefusesToStart() {
        assertThatThrownBy(() -> KeyEncryptionKeys.configured("", "", "", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lienthong.at-rest.key-store");
        assertThatThrownBy(() -> KeyEncryptionKeys.configured(store.toString(), "x", "", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
    }

    /** The entry with identifiers in its text (the original and canonical bytes as the gateway stores them). */
    private static JournalEntry.Accepted withIdentifiers(JournalEntry.Accepted a) {
        String json = new String(a.canonical(), StandardCharsets.UTF_8);
        String text = "CCCD " + IDENTIFIERS.get(0) + ", MST " + IDENTIFIERS.get(1) + ", STK " + IDENTIFIERS.get(2)
                + ", ĐT " + IDENTIFIERS.get(3) + ". ";
        byte[] canonical = json.replace("\"description\":\"", "\"description\":\"" + text).getBytes(StandardCharsets.UTF_8);
        assertThat(new String(canonical, StandardCharsets.UTF_8)).contains(IDENTIFIERS.get(0));
        return new JournalEntry.Accepted(a.message(), canonical, canonical.clone(), a.inputSha256(), a.source(),
                a.receivedAt(), a.deliveries(), a.receipt());
    }

    private List<byte[]> rawBodies() {
        List<byte[]> raw = new java.util.ArrayList<>(db.query("select original, canonical from message",
                (rs, n) -> java.util.Arrays.asList(rs.getBytes(1), rs.getBytes(2))).stream().flatMap(List::stream)
                .filter(java.util.Objects::nonNull).toList());
        raw.addAll(db.queryForList("select original from quarantine", byte[].class));
        return raw;
    }

    /** Neither the identifiers nor any long digit run of the clear body appears in the stored bytes, in any encoding of digits. */
    private static void assertNoIdentifierIn(List<byte[]> raw, byte[] clear) {
        List<String> runs = new java.util.ArrayList<>(IDENTIFIERS);
        Matcher m = DIGIT_RUNS.matcher(new String(clear, StandardCharsets.UTF_8));
        while (m.find()) {
            runs.add(m.group());
        }
        for (byte[] b : raw) {
            String latin = new String(b, StandardCharsets.ISO_8859_1);
            for (String run : runs) {
                assertThat(latin).doesNotContain(run);
            }
        }
    }

    private void addKey(String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        ks.setEntry(alias, new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(PASSWORD));
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, PASSWORD);
        }
    }
}
