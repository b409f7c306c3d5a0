package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.gateway.flow.FlowSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * A gateway whose Keycloak admin API does not answer: its readiness probe says so (503, identity
 * down) while its liveness probe stays UP, so that an orchestrator stops sending it work but does
 * not restart it. The full health, a surface for people, refuses even an auditor then: whether a
 * person is still enabled cannot be asked.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IdentityHealthTest {

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        // Tokens still come from the real realm; the directory's admin calls go nowhere.
        registry.add("lienthong.identity.admin-url", () -> "http://127.0.0.1:" + closedPort());
    }

    @LocalServerPort
    int port;

    @Test
    void keycloakSilentTakesReadinessDownButNotLiveness() {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
        JsonNode identity = json(readiness.body()).at("/components/identity");
        assertThat(identity.at("/status").asText()).isEqualTo("DOWN");
        assertThat(identity.at("/details/keycloakAnsweredAt").isMissingNode()).as("Keycloak never answered").isTrue();

        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        assertThat(json(liveness.body()).at("/status").asText()).isEqualTo("UP");
        assertThat(json(liveness.body()).at("/components/identity").isMissingNode()).isTrue();

        // The overall view is for people, and the gateway cannot tell whether a person is still
        // enabled while Keycloak's admin API is silent: it refuses them (fails closed), even the
        // auditor with a token the realm signed.
        HttpResponse<String> overall = FlowSupport.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/actuator/health")).header("Authorization", Tokens.person("auditor", "auditor-demo")).GET());
        assertThat(overall.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path) {
        return FlowSupport.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
