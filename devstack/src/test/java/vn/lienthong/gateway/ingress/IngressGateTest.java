package vn.lienthong.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.identity.AgencyDirectory;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.testsupport.TestStack;

/** The ingress routes wait while Keycloak has not answered, and read again once it does (real Keycloak). */
class IngressGateTest {

    @Test
    void ingressRoutesAreSuspendedUntilTheDirectoryHasAnAnswerThenResumed() throws Exception {
        KeycloakServer keycloak = TestStack.get().keycloak();
        HttpClient http = HttpClient.newHttpClient();
        // Not refreshed yet: the gateway cannot tell who is enabled.
        AgencyDirectory directory = new AgencyDirectory(keycloak.baseUrl(), KeycloakServer.REALM,
                new TokenEndpoint(keycloak.issuer(), http), "lienthong-gateway", "lienthong-gateway-demo-secret",
                List.of("moit-dms"), Duration.ofSeconds(20), http, Clock.systemUTC());
        try (DefaultCamelContext camel = new DefaultCamelContext(); IngressGate gate = new IngressGate(camel, directory)) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:in?period=60000").routeId("ingress-jms-TEST").log("tick");
                    from("timer:other?period=60000").routeId("dispatch-TEST").log("tick");
                }
            });
            camel.start();

            // A timer cannot suspend: the gate stops it instead (JMS, Kafka and SFTP consumers suspend).
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    camel.getRouteController().getRouteStatus("ingress-jms-TEST") != ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("dispatch-TEST")).isEqualTo(ServiceStatus.Started);

            assertThat(directory.refresh()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    camel.getRouteController().getRouteStatus("ingress-jms-TEST") == ServiceStatus.Started);
        }
    }
}
