package vn.lienthong.gateway.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.admin.OperatorSupport;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * Per-channel health in readiness, on the real servers: Artemis, Kafka, the SFTP server, the
 * database and Keycloak are components whose status anyone sees (details only people); stopping
 * Artemis or the SFTP server takes its component DOWN and the instance unready, and starting it
 * brings both back. A recipient's push URL (MOIT.ECDE's, a server of this test) that stops
 * answering is UNREACHABLE while the gateway stays ready.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot's tests turn metrics export off unless asked: this one reads /actuator/prometheus.
@AutoConfigureObservability(tracing = false)
@DirtiesContext
class ChannelHealthTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String READINESS = "/actuator/health/readiness";
    private static HttpServer recipient;
    private static int recipientPort;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) throws IOException {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        recipient = recipientServer(0);
        recipientPort = recipient.getAddress().getPort();
        String yaml = Files.readString(Path.of(OperatorSupport.REGISTRY));
        String unanswered = "http://127.0.0.1:9/lienthong/in";
        assertThat(yaml).contains(unanswered);
        Path file = Path.of("target", "channel-health-agencies.yaml").toAbsolutePath();
        // Agencies on Kafka and SFTP too: a channel kind no agency uses is not checked.
        Files.writeString(file, yaml.replace(unanswered, "http://127.0.0.1:" + recipientPort + "/lienthong/in") + """

                  - code: MOIT.DMS
                    name: {vi: Cục Quản lý và Phát triển thị trường trong nước, en: Domestic Market Surveillance}
                    keycloakClient: moit-dms
                    sends: [violation.notice]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: kafka, format: canonical-json, inbound: health.MOIT.DMS.in, outbound: health.MOIT.DMS.out}
                  - code: MOF.TAX
                    name: {vi: Cục Thuế, en: Tax Department}
                    keycloakClient: mof-tax
                    sends: [violation.notice]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: sftp, format: canonical-json, folder: mof-tax}
                """);
        registry.add("lienthong.registry", file::toString);
    }

    @AfterAll
    static void stopRecipient() {
        if (recipient != null) {
            recipient.stop(0);
        }
    }

    private static HttpServer recipientServer(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Test
    void everyChannelIsAComponentOfReadinessWithDetailsForPeopleOnly() {
        OperatorSupport.Response open = OperatorSupport.get(port, READINESS, null);
        assertThat(open.status()).as(open.body()).isEqualTo(200);
        for (String component : new String[] {"artemis", "kafka", "sftp", "db", "identity"}) {
            assertThat(open.json().at("/components/" + component + "/status").asText()).as(component).isEqualTo("UP");
            assertThat(open.json().at("/components/" + component + "/details").isMissingNode())
                    .as("no details for anonymous callers: " + component).isTrue();
        }
        assertThat(open.json().at("/components/recipients/components/MOIT.ECDE/status").asText()).isEqualTo("UP");

        JsonNode detailed = OperatorSupport.get(port, READINESS, OperatorSupport.auditor()).json();
        assertThat(detailed.at("/components/kafka/details/nodes").asInt()).isEqualTo(1);
        assertThat(detailed.at("/components/artemis/details/broker").asText()).startsWith("tcp://");
        assertThat(detailed.at("/components/recipients/components/MOIT.ECDE/details/url").asText())
                .isEqualTo("http://127.0.0.1:" + recipientPort);
    }

    @Test
    void aStoppedBrokerIsDownAndTheInstanceUnreadyUntilItIsBack() {
        TestStack.get().stack().stopArtemis();
        try {
            await().atMost(WITHIN).until(() -> "DOWN".equals(status("artemis")));
            assertThat(OperatorSupport.get(port, READINESS, null).status()).isEqualTo(503);
            JsonNode detailed = OperatorSupport.get(port, READINESS, OperatorSupport.operator()).json();
            assertThat(detailed.at("/components/artemis/details/error").asText()).isNotEmpty();
            assertThat(detailed.at("/components/kafka/status").asText()).isEqualTo("UP");
        } finally {
            TestStack.get().stack().startArtemis();
        }
        await().atMost(WITHIN).until(() -> "UP".equals(status("artemis")));
        await().atMost(WITHIN).until(() -> OperatorSupport.get(port, READINESS, null).status() == 200);
    }

    @Test
    void aStoppedSftpServerIsDownUntilItIsBack() {
        TestStack.get().stack().stopSftp();
        try {
            await().atMost(WITHIN).until(() -> "DOWN".equals(status("sftp")));
            assertThat(OperatorSupport.get(port, READINESS, null).status()).isEqualTo(503);
        } finally {
            TestStack.get().stack().startSftp();
        }
        await().atMost(WITHIN).until(() -> "UP".equals(status("sftp")));
    }

    @Test
    void aRecipientThatStopsAnsweringIsUnreachableAndTheGatewayStaysReady() {
        recipient.stop(0);
        try {
            await().atMost(WITHIN).until(() -> "UNREACHABLE".equals(status("recipients/components/MOIT.ECDE")));
            OperatorSupport.Response readiness = OperatorSupport.get(port, READINESS, null);
            assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
            assertThat(readiness.json().at("/status").asText()).isEqualTo("UP");
        } finally {
            recipient = recipientServer(recipientPort);
        }
        await().atMost(WITHIN).until(() -> "UP".equals(status("recipients/components/MOIT.ECDE")));
    }

    @Test
    void theChecksAreGaugesForAlertsLabelledByChannelAndAgencyCode() {
        String scraper = "Bearer " + TestStack.get().accessToken("lienthong-monitoring",
                "lienthong-monitoring-demo-secret");
        await().atMost(WITHIN).until(() -> {
            String metrics = OperatorSupport.get(port, "/actuator/prometheus", scraper).body();
            return metrics.contains("lienthong_channel_up{channel=\"artemis\"} 1.0")
                    && metrics.contains("lienthong_channel_up{channel=\"kafka\"} 1.0")
                    && metrics.contains("lienthong_channel_up{channel=\"sftp\"} 1.0")
                    && metrics.contains("lienthong_recipient_reachable{recipient=\"MOIT.ECDE\"}");
        });
        // Overdue cases come from the workflows, per kind.
        assertThat(OperatorSupport.get(port, "/actuator/prometheus", scraper).body())
                .contains("lienthong_workflows_cases_overdue{kind=\"freeze\"}");
    }

    private String status(String component) {
        return OperatorSupport.get(port, READINESS, null).json().at("/components/" + component + "/status").asText();
    }
}
