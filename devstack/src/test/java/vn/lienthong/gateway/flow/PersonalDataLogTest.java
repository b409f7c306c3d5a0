package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.json;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.logging.PersonalDataMask;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * No personal identifier in any log line (issue 14 point 5): the gateway runs with its production
 * logging configuration and, on top, Camel's tracer; messages full of CCCD numbers, tax codes,
 * account and phone numbers go through every channel (REST, JMS, Kafka, SFTP), some refused, some
 * to a recipient whose deliveries keep failing, and a library's logger writes a whole body and an
 * exception naming identifiers; every line the JVM writes to its console in that time is kept and
 * searched for each identifier.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.config=classpath:logback.xml", "camel.main.tracing=true",
                "lienthong.registry=src/test/resources/privacy/agencies.yaml"})
@DirtiesContext
class PersonalDataLogTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** CCCD, tax codes, account, phone numbers of the bundled examples, and the ones this test adds. */
    private static final List<String> IDENTIFIERS = List.of("001085012345", "0105123457", "0106773786",
            "0011004123456", "001285012345", "0100233480", "0912 345 678", "0912345678", "079203004321",
            "19036655221012");
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static PrintStream originalOut;
    private static PrintStream originalErr;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> {
            if (!k.equals("lienthong.registry")) {
                registry.add(k, () -> v);
            }
        });
    }

    /** Before Spring starts: logback's console appender writes to whatever System.out is at each write. */
    @BeforeAll
    static void captureConsole() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void restoreConsole() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void noPersonalIdentifierReachesTheLog() throws Exception {
        // REST: accepted, to a province and to a recipient whose deliveries fail; refused (bad identifiers).
        ObjectNode overRest = withIdentifiers(notice("MOIT.DMS", "PROV.37", "MOIT.ECDE"));
        assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(overRest)).status()).isEqualTo(202);
        ObjectNode badIdentifiers = (ObjectNode) json(FlowSupport.example("freeze.request/invalid-freeze-bad-identifiers.json"));
        badIdentifiers.put("messageId", UUID.randomUUID().toString());
        badIdentifiers.put("sender", "MOIT.DMS");
        assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(badIdentifiers)).status()).isEqualTo(422);

        // JMS: accepted, and a broken body full of identifiers (refused, quarantined).
        ObjectNode overJms = withIdentifiers(notice("MOIT.DMS", "PROV.37"));
        FlowSupport.jmsSend("flow.MOIT.DMS.in", "MOIT.DMS", bytes(overJms));
        FlowSupport.jmsSend("flow.MOIT.DMS.in", "MOIT.DMS", ("{\"cccd\": \"079203004321\", \"account\": \"19036655221012\","
                + " \"phone\": \"0912 345 678\"").getBytes(StandardCharsets.UTF_8));

        // Kafka: a freeze request (account number, CCCD) to the State Bank.
        ObjectNode freeze = (ObjectNode) json(FlowSupport.example("freeze.request/valid-freeze-cpc129.json"));
        freeze.put("messageId", UUID.randomUUID().toString());
        freeze.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).withNano(0).toString());
        // A decision of its own: the same decision and account again would be a conflicting second FREEZE.
        ((ObjectNode) freeze.at("/payload/decision")).put("number", "PD-" + UUID.randomUUID().toString().substring(0, 8));
        FlowSupport.kafkaSend("flow.MPS.C03.in", "MPS.C03", bytes(freeze));

        // SFTP: a notice dropped by the market surveillance department.
        ObjectNode overSftp = withIdentifiers(notice("MOIT.DMS", "PROV.37"));
        String name = "privacy-" + overSftp.get("messageId").asText() + ".json";
        try (TestStack.Sftp sftp = TestStack.get().sftp("moit-dms")) {
            sftp.upload("inbox/" + name, bytes(overSftp));
            await().atMost(WITHIN).until(() -> sftp.list("done").contains(name + ".receipt.json"));
        }

        // Everything went through: recorded, refused inputs quarantined, the failing recipient retried.
        for (ObjectNode sent : List.of(overRest, overJms, overSftp)) {
            String id = sent.get("messageId").asText();
            await().atMost(WITHIN).until(() -> db.queryForObject("select count(*) from message where message_id = ?::uuid",
                    Long.class, id) == 1);
        }
        await().atMost(WITHIN).until(() -> db.queryForObject("select count(*) from quarantine where received_at > now()"
                + " - interval '10 minutes'", Long.class) >= 2);
        await().atMost(WITHIN).until(() -> db.queryForObject("select count(*) from delivery_attempt a join delivery d"
                + " on d.id = a.delivery_id join message m on m.seq = d.message_seq where m.message_id = ?::uuid"
                + " and d.recipient = 'MOIT.ECDE' and a.outcome = 'ERROR'", Long.class,
                overRest.get("messageId").asText()) >= 2);

        // A library that logs a body it failed on (as Camel's or a driver's error handlers may): the
        // line holds every identifier when it reaches logback.
        org.slf4j.LoggerFactory.getLogger("org.apache.camel.component.jms.JmsConsumer").warn(
                "could not process {}", new String(bytes(overJms), StandardCharsets.UTF_8),
                new IllegalStateException("subject CCCD 001085012345, account 0011004123456, phone 0912 345 678"));

        String log = console();
        // The tracer wrote (dispatch rounds, among others), and the library's line is there, masked.
        assertThat(log).as("the tracer's lines").contains("org.apache.camel.Tracing");
        assertThat(log).as("the library's line").contains("could not process").contains("CCCD " + PersonalDataMask.MASK)
                .contains("account " + PersonalDataMask.MASK).contains("phone " + PersonalDataMask.MASK);
        for (String identifier : IDENTIFIERS) {
            assertThat(log).as("the log holds a personal identifier (%s...)", identifier.substring(0, 3))
                    .doesNotContain(identifier);
        }
    }

    /** The notice with more identifiers in its text: a phone number, an account and a CCCD. */
    private static ObjectNode withIdentifiers(ObjectNode notice) {
        ObjectNode payload = (ObjectNode) notice.get("payload");
        payload.put("description", "Người bán (CCCD 079203004321, ĐT 0912345678) nhận tiền vào tài khoản 19036655221012. "
                + payload.path("description").asText());
        return notice;
    }

    private static String console() {
        synchronized (CONSOLE) {
            return CONSOLE.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes to the console it replaces and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final PrintStream console;

        Tee(PrintStream console) {
            this.console = console;
        }

        @Override
        public void write(int b) {
            console.write(b);
            synchronized (CONSOLE) {
                CONSOLE.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            console.write(b, off, len);
            synchronized (CONSOLE) {
                CONSOLE.write(b, off, len);
            }
        }
    }
}
