package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.SignedReceipts;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * No credential in any log line (issue 13): the gateway runs with its production logging
 * configuration ({@code logback.xml}: every level as in production, Artemis's audit loggers off,
 * every line through the masking layout) while agencies use all four channels with real tokens,
 * refused tokens, client secrets and SFTP passwords; every line the JVM writes to its console in
 * that time is kept and searched for each of them.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.config=classpath:logback.xml")
@DirtiesContext
class CredentialLogTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static PrintStream originalOut;
    private static PrintStream originalErr;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
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

    @Test
    void noTokenSecretOrPasswordReachesTheLog() throws Exception {
        Set<String> secrets = new LinkedHashSet<>();
        String dms = Tokens.accessToken(Tokens.clientOf("MOIT.DMS"));
        String province = Tokens.accessToken(Tokens.clientOf("PROV.37"));
        String forged = dms.substring(0, dms.lastIndexOf('.') + 1) + "Zm9yZ2VkLXNpZ25hdHVyZS1vZi1hLXRva2Vu";
        secrets.addAll(tokenParts(dms));
        secrets.addAll(tokenParts(province));
        secrets.add(forged);
        for (String client : List.of("moit-dms", "prov-37", "mof-tax")) {
            secrets.add(TestStack.demoSecret(client));
        }
        secrets.add(TestStack.GATEWAY_PASSWORD);
        // The gateway's own secrets: its Keycloak client, its SFTP account, its receipt key store
        // (not the embedded database's: it trusts loopback, and its "password" is the user name).
        TestStack.get().springProperties().forEach((key, value) -> {
            String k = key.toLowerCase(java.util.Locale.ROOT);
            if ((k.contains("secret") || k.contains("password")) && !k.startsWith("spring.datasource") && value != null) {
                secrets.add(value.toString());
            }
        });

        // REST: accepted, refused (forged token, another agency's token for this sender), no token in a query.
        assertThat(FlowSupport.postAuthorized(port, "/api/v1/messages", "Bearer " + dms,
                bytes(notice("MOIT.DMS", "PROV.37"))).status()).isEqualTo(202);
        assertThat(FlowSupport.postAuthorized(port, "/api/v1/messages", "Bearer " + forged,
                bytes(notice("MOIT.DMS", "PROV.37"))).status()).isEqualTo(401);
        assertThat(FlowSupport.postAuthorized(port, "/api/v1/messages", "Bearer " + province,
                bytes(notice("MOIT.DMS", "PROV.37"))).status()).isNotIn(202, 200);
        assertThat(FlowSupport.get(port, "/api/v1/inbox?access_token=" + province, "PROV.37").status()).isEqualTo(200);

        // JMS: accepted and refused, each with properties a receipt must not carry back.
        Map<String, Object> noise = Map.of("X_Probe", "probe", "Lienthong_Probe", "probe");
        ObjectNode overJms = notice("MOIT.DMS", "PROV.37");
        ObjectNode forgedJms = notice("MOIT.DMS", "PROV.37");
        FlowSupport.jmsSendAuthorized("flow.MOIT.DMS.in", "Bearer " + dms, bytes(overJms), noise);
        FlowSupport.jmsSendAuthorized("flow.MOIT.DMS.in", "Bearer " + forged, bytes(forgedJms), noise);
        List<Message> jmsReceipts = jmsReceipts("flow.MOIT.DMS.out",
                Set.of(overJms.get("messageId").asText(), forgedJms.get("messageId").asText()));
        assertThat(jmsReceipts).hasSize(2);
        for (Message receipt : jmsReceipts) {
            List<String> names = new ArrayList<>();
            for (var e = receipt.getPropertyNames(); e.hasMoreElements();) {
                String n = e.nextElement().toString();
                if (!n.startsWith("JMSX") && !n.startsWith("_AMQ")) {
                    names.add(n);
                }
            }
            assertThat(names).as("the receipt's properties").containsExactly("contentType");
        }

        // Kafka: accepted and refused.
        ObjectNode overKafka = notice("MOIT.DMS", "PROV.37");
        ObjectNode forgedKafka = notice("MOIT.DMS", "PROV.37");
        Map<String, String> kafkaNoise = Map.of("X-Probe", "probe", "Set-Cookie", "probe=1");
        FlowSupport.kafkaSendAuthorized("flow.MOIT.DMS.topic.in", "Bearer " + dms, bytes(overKafka), null, kafkaNoise);
        FlowSupport.kafkaSendAuthorized("flow.MOIT.DMS.topic.in", "Bearer " + forged, bytes(forgedKafka), null, kafkaNoise);
        for (ObjectNode sent : List.of(overKafka, forgedKafka)) {
            List<ConsumerRecord<byte[], byte[]>> receipts = FlowSupport.kafkaRecordsAbout("flow.MOIT.DMS.topic.out",
                    sent.get("messageId").asText(), WITHIN);
            assertThat(receipts).hasSize(1);
            List<String> headers = new ArrayList<>();
            for (Header h : receipts.get(0).headers()) {
                headers.add(h.key());
            }
            assertThat(headers).as("the receipt's headers").containsExactly("Content-Type");
        }

        // SFTP: an agency's login and upload, a wrong password, the gateway's own account.
        ObjectNode overSftp = notice("MOIT.DMS", "PROV.37");
        String name = "notice-" + overSftp.get("messageId").asText() + ".json";
        try (TestStack.Sftp sftp = TestStack.get().sftp("moit-dms")) {
            sftp.upload("inbox/" + name, bytes(overSftp));
            await().atMost(WITHIN).until(() -> sftp.list("done").contains(name + ".receipt.json"));
        }
        assertThatThrownBy(() -> TestStack.get().sftp("moit-dms", "wrong-" + TestStack.demoSecret("prov-37")))
                .isInstanceOf(UncheckedIOException.class);
        secrets.add("wrong-" + TestStack.demoSecret("prov-37"));
        // Keycloak's token endpoint as an agency with a wrong secret (the gateway's SFTP login asks it so).
        assertThat(Tokens.fresh("moit-dms", "wrong-moit-dms-secret")).isEmpty();
        secrets.add("wrong-moit-dms-secret");

        // Everything is through the gateway: its deliveries to the province are there.
        for (ObjectNode sent : List.of(overJms, overKafka, overSftp)) {
            await().atMost(WITHIN).until(() -> FlowSupport.get(port, "/api/v1/inbox?limit=500", "PROV.37").body()
                    .contains(sent.get("messageId").asText()));
        }

        String log = console();
        assertThat(log).as("the production layout wrote the gateway's lines").contains("ingress-jms-MOIT.DMS");
        // Artemis's audit messages are AMQ601xxx (base, resource and message loggers).
        assertThat(log).as("Artemis audit lines").doesNotContain("AMQ601");

        // Defence in depth: with Artemis's message audit turned back on (the leak of issue 13), its
        // lines come, and the layout masks the token in them.
        ch.qos.logback.classic.Logger audit = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("org.apache.activemq.audit.message");
        audit.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            ObjectNode audited = notice("MOIT.DMS", "PROV.37");
            FlowSupport.jmsSendAuthorized("flow.MOIT.DMS.in", "Bearer " + dms, bytes(audited), noise);
            assertThat(jmsReceipts("flow.MOIT.DMS.out", Set.of(audited.get("messageId").asText()))).hasSize(1);
            await().atMost(WITHIN).until(() -> console().contains("AMQ6015"));
        } finally {
            audit.setLevel(null);
        }

        log = console();
        assertThat(log).contains("Authorization=Bearer ****");
        for (String secret : secrets) {
            assertThat(log).as("the log holds a credential (%s...)", secret.substring(0, 4)).doesNotContain(secret);
        }
        assertThat(log).doesNotContainIgnoringCase("Bearer eyJ");

        // Keycloak is a process of its own, with its own log: it holds none of them either.
        String keycloakLog = java.nio.file.Files.readString(TestStack.get().keycloak().logFile(), StandardCharsets.UTF_8);
        for (String secret : secrets) {
            assertThat(keycloakLog).as("Keycloak's log holds a credential (%s...)", secret.substring(0, 4))
                    .doesNotContain(secret);
        }
    }

    private static String console() {
        synchronized (CONSOLE) {
            return CONSOLE.toString(StandardCharsets.UTF_8);
        }
    }

    /** A token and each of its parts alone (the signature is what makes it usable). */
    private static List<String> tokenParts(String jwt) {
        List<String> parts = new ArrayList<>(List.of(jwt));
        for (String part : jwt.split("\\.")) {
            if (part.length() > 20) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** Consumes a queue until a receipt about each id has come; the messages themselves, with their properties. */
    private static List<Message> jmsReceipts(String queue, Set<String> ids) throws Exception {
        List<Message> found = new ArrayList<>();
        Set<String> left = new LinkedHashSet<>(ids);
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                long deadline = System.nanoTime() + WITHIN.toNanos();
                while (!left.isEmpty() && System.nanoTime() < deadline) {
                    Message m = consumer.receive(500);
                    if (m == null) {
                        continue;
                    }
                    String readable = SignedReceipts.readable(m.getBody(String.class));
                    if (left.removeIf(readable::contains)) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }

    /** Writes to the console it replaces and keeps a copy. */
    private static final class Tee extends java.io.OutputStream {
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
