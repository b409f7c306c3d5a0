package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.dispatch.DeliverySender;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.receipts.ReceiptVerifier;
import vn.lienthong.gateway.testsupport.SignedReceipts;

/**
 * Push delivery to a platform, end to end on real servers: the gateway POSTs a takedown.request to
 * the platform's URL with its signature over the body (verified with the gateway's published keys,
 * the payload being the body) and its own Keycloak access token (verified with the realm's keys:
 * issued by the realm to the gateway's client), and the delivery is DELIVERED.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PushDeliveryFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** What the platform's server received: headers and body. */
    record Push(Map<String, List<String>> headers, byte[] body) {
    }

    private static final List<Push> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpServer PLATFORM = platform();

    private static HttpServer platform() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/lienthong/deliveries", exchange -> {
                RECEIVED.add(new Push(Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopPlatform() {
        PLATFORM.stop(0);
    }

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", PushDeliveryFlowTest::registryWithLazadaPushing);
    }

    /** The flow registry with Lazada taking pushes at the test's server instead of pulling. */
    private static String registryWithLazadaPushing() {
        try {
            String yaml = Files.readString(Path.of(FlowSupport.REGISTRY));
            String lazada = "    keycloakClient: platform-lazada\n";
            int at = yaml.indexOf(lazada);
            String pull = "      - {kind: rest, format: canonical-json, delivery: pull}\n";
            int channel = yaml.indexOf(pull, at);
            assertThat(at).isPositive();
            assertThat(channel).isPositive();
            String url = "http://127.0.0.1:" + PLATFORM.getAddress().getPort() + "/lienthong/deliveries";
            String changed = yaml.substring(0, channel) + "      - {kind: rest, format: canonical-json, delivery: push, url: "
                    + url + "}\n" + yaml.substring(channel + pull.length());
            Path file = Path.of("target", "push-agencies.yaml").toAbsolutePath();
            Files.writeString(file, changed);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Value("${lienthong.identity.issuer}")
    String issuer;

    @Test
    void aTakedownIsPushedToThePlatformSignedAndWithTheGatewaysToken() throws Exception {
        ObjectNode takedown = (ObjectNode) json(FlowSupport.example(
                "takedown.request/valid-counterfeit-cosmetics-shopee.json"));
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(7));
        takedown.put("messageId", id);
        takedown.put("createdAt", now.format(RFC_3339));
        takedown.put("deadline", now.plusDays(1).format(RFC_3339));
        takedown.putArray("recipients").add("PLATFORM.LAZADA");
        assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.ECDE", bytes(takedown)).status()).isEqualTo(202);

        await().atMost(WITHIN).until(() -> RECEIVED.stream().anyMatch(p -> id.equals(header(p, "LienthongMessageId"))));
        Push push = RECEIVED.stream().filter(p -> id.equals(header(p, "LienthongMessageId"))).findFirst().orElseThrow();
        JsonNode body = json(push.body());
        assertThat(body.at("/messageId").asText()).isEqualTo(id);

        // The signature: the gateway's key, over exactly these bytes, typed as a delivery (not a receipt).
        JsonNode signed = json(new ReceiptVerifier(SignedReceipts.keys(port), ReceiptSigner.DELIVERY_TYPE)
                .verify(header(push, DeliverySender.HEADER_SIGNATURE)));
        assertThat(signed).isEqualTo(body);
        assertThatThrownBy(() -> new ReceiptVerifier(SignedReceipts.keys(port))
                .verify(header(push, DeliverySender.HEADER_SIGNATURE)))
                .as("a pushed message's signature is not a receipt").isInstanceOf(ReceiptVerifier.InvalidReceiptException.class);

        // The token: issued by the realm to the gateway's own client.
        String authorization = header(push, "Authorization");
        assertThat(authorization).startsWith("Bearer ");
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256),
                JWKSourceBuilder.create(URI.create(issuer + "/protocol/openid-connect/certs").toURL()).build()));
        JWTClaimsSet claims = processor.process(authorization.substring("Bearer ".length()), null);
        assertThat(claims.getIssuer()).isEqualTo(issuer);
        assertThat(claims.getStringClaim("azp")).isEqualTo("lienthong-gateway");
        assertThat(claims.getExpirationTime()).isInTheFuture();
    }

    private static String header(Push push, String name) {
        return push.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
}
