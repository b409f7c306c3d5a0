package vn.lienthong.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.testsupport.TestStack;

/** What the gateway reads from the real Keycloak of the test stack about agencies' clients, and when it stops trusting it. */
class AgencyDirectoryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock();

    @Test
    void readsWhetherEachClientIsEnabledAndItsServiceAccountsRealmRoles() {
        AgencyDirectory directory = directory("lienthong-gateway-demo-secret", Duration.ofSeconds(20));
        assertThat(directory.refresh()).isTrue();

        AgencyDirectory.ClientState police = directory.client("mps-c03").orElseThrow();
        assertThat(police.enabled()).isTrue();
        assertThat(police.roles()).contains("freeze:request", "info:request", "info:respond").doesNotContain("notice:send");
        assertThat(directory.client("sbv").orElseThrow().roles()).contains("freeze:execute").doesNotContain("freeze:request");
        assertThat(directory.client("no-such-client")).as("not in the realm").isEmpty();
        assertThat(directory.client("account")).as("not followed").isEmpty();
    }

    @Test
    void anAnswerOlderThanTheRevocationBoundAllowsDecidesNothing() {
        AgencyDirectory directory = directory("lienthong-gateway-demo-secret", Duration.ofSeconds(20));
        List<Boolean> told = new CopyOnWriteArrayList<>();
        directory.onAvailability(told::add);
        assertThat(directory.refresh()).isTrue();
        assertThat(directory.maxAge()).isEqualTo(Duration.ofSeconds(40));

        clock.advance(Duration.ofSeconds(40));
        assertThat(directory.client("mps-c03")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(directory.available()).isFalse();
        assertThatThrownBy(() -> directory.client("mps-c03")).isInstanceOf(IdentityUnavailableException.class);
        assertThat(told).containsExactly(false, true);
    }

    @Test
    void whenKeycloakRefusesTheGatewaysOwnClientNothingIsDecided() {
        AgencyDirectory directory = directory("not-the-secret", Duration.ofSeconds(20));
        List<Boolean> told = new CopyOnWriteArrayList<>();
        directory.onAvailability(told::add);
        assertThat(directory.refresh()).isFalse();
        assertThat(directory.available()).isFalse();
        assertThatThrownBy(() -> directory.client("mps-c03")).isInstanceOf(IdentityUnavailableException.class)
                .hasMessageContaining("since it started");
        assertThat(told).containsExactly(false);
    }

    @Test
    void aRefreshLongerThanHalfTheBoundIsRefused() {
        assertThatThrownBy(() -> directory("x", Duration.ofSeconds(31))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("directory-refresh");
    }

    private AgencyDirectory directory(String gatewaySecret, Duration refresh) {
        KeycloakServer keycloak = TestStack.get().keycloak();
        return new AgencyDirectory(keycloak.baseUrl(), KeycloakServer.REALM, new TokenEndpoint(keycloak.issuer(), HTTP),
                "lienthong-gateway", gatewaySecret, List.of("mps-c03", "sbv", "no-such-client"), refresh, HTTP, clock);
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
