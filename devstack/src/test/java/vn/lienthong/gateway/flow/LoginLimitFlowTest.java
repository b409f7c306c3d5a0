package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * Brute force on the agencies' REST channel: calls with a forged token for one client, then calls
 * without a token, are refused 401 until the client's, then the address's, failures are spent;
 * then even a good token of that client (then of any client from that address) is answered 429
 * with Retry-After, while others pass; once the buckets refill, good tokens pass again.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"lienthong.login-limits.failures-per-source=6", "lienthong.login-limits.failures-per-client=3",
                "lienthong.login-limits.period=30s"})
@DirtiesContext
class LoginLimitFlowTest {

    /** Failures are forgiven one every 10 s (client) and 5 s (address): the limits lift within this. */
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        // As in production: failures counted in the database, shared by every instance.
        registry.add("lienthong.login-limits.store", () -> "database");
    }

    @LocalServerPort
    int port;

    @Test
    void failedAuthenticationsAreLimitedPerClientAndPerSourceAndTheLimitLifts() throws Exception {
        String dms = Tokens.bearer("MOIT.DMS");
        String province = Tokens.bearer("PROV.37");
        String forged = dms.substring(0, dms.lastIndexOf('.') + 1) + "Zm9yZ2VkLXNpZ25hdHVyZS1vZi1hLXRva2Vu";
        assertThat(call(dms).statusCode()).isEqualTo(404);

        // Per client: three forged tokens naming MOIT.DMS's client spend its failures.
        for (int i = 0; i < 3; i++) {
            assertThat(call(forged).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = call(dms);
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.body()).contains("TOO_MANY_FAILED_LOGINS");
        // Another client from the same address still passes (the address has failures left).
        assertThat(call(province).statusCode()).isEqualTo(404);
        await().atMost(WITHIN).until(() -> call(dms).statusCode() == 404);

        // Per source: calls without a token until the address has spent its failures.
        int tries = 0;
        while (call(null).statusCode() != 429) {
            assertThat(++tries).as("token-less calls before the limit acts").isLessThan(50);
        }
        assertThat(call(province).statusCode()).isEqualTo(429);
        await().atMost(WITHIN).until(() -> call(province).statusCode() == 404);
    }

    /** A tracking query for a message nobody sent: 404 once authenticated. */
    private HttpResponse<String> call(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/messages/" + UUID.randomUUID())).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
