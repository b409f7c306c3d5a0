package vn.lienthong.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.channels.GatewaySettings;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.dispatch.DispatchRoutes;
import vn.lienthong.gateway.ingress.ChannelIngressRoutes;
import vn.lienthong.gateway.ingress.JmsIngressRoutes;
import vn.lienthong.gateway.ingress.KafkaIngressRoutes;
import vn.lienthong.gateway.ingress.RestIngressRoutes;
import vn.lienthong.gateway.ingress.SftpIngressRoutes;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;

/**
 * What an operator reads in the route console: every channel route of the registry shows the steps
 * identify, check, record, receipt in that order, and the dispatch round claim, encode, deliver,
 * outcome — read from the route model of a CamelContext holding the gateway's route builders over the
 * registry the gateway ships (config/agencies.yaml).
 */
class RouteStepsTest {

    private static final Registry REGISTRY = Registry.load(Path.of("../config/agencies.yaml"));
    private static ModelCamelContext camel;

    @BeforeAll
    static void addTheGatewaysRoutes() throws Exception {
        GatewaySettings settings = new Binder(new MapConfigurationPropertySource(
                Map.of("lienthong.sftp.known-hosts-file", "target/known_hosts")))
                .bindOrCreate("lienthong", GatewaySettings.class);
        ChannelEndpoints endpoints = new ChannelEndpoints(settings);
        camel = new DefaultCamelContext();
        // The builders only describe routes here: nothing is started, no step runs.
        camel.addRoutes(new JmsIngressRoutes(REGISTRY, endpoints, null, null, false));
        camel.addRoutes(new KafkaIngressRoutes(REGISTRY, endpoints, null, null, null));
        camel.addRoutes(new SftpIngressRoutes(REGISTRY, endpoints, null, null, null, Clock.systemUTC()));
        camel.addRoutes(new RestIngressRoutes(new RestCalls(REGISTRY, null), null));
        camel.addRoutes(new DispatchRoutes(null, null, settings.dispatch()));
    }

    @AfterAll
    static void close() throws Exception {
        camel.close();
    }

    @Test
    void everyQueuedChannelOfTheRegistryHasItsRoute() {
        List<String> expected = new ArrayList<>();
        for (Agency agency : REGISTRY.agencies()) {
            for (Channel channel : agency.channels()) {
                if (channel.kind() != ChannelKind.REST) {
                    expected.add("ingress-" + channel.kind().name().toLowerCase() + "-" + agency.code());
                }
            }
        }
        assertThat(expected).hasSizeGreaterThan(5);
        assertThat(camel.getRouteDefinitions()).extracting(RouteDefinition::getRouteId).containsAll(expected);
    }

    @Test
    void everyIngressRouteShowsIdentifyCheckRecordReceiptInOrder() {
        List<RouteDefinition> ingress = camel.getRouteDefinitions().stream()
                .filter(r -> r.getRouteId().startsWith("ingress-") || r.getRouteId().equals(RestIngressRoutes.SUBMIT_ROUTE))
                .toList();
        assertThat(ingress).extracting(RouteDefinition::getRouteId)
                .contains(RestIngressRoutes.SUBMIT_ROUTE, "ingress-jms-MOF.CUSTOMS", "ingress-kafka-MPS.C03", "ingress-sftp-MOF.TAX");
        for (RouteDefinition route : ingress) {
            assertThat(namedSteps(route, ChannelIngressRoutes.STEPS)).as(route.getRouteId())
                    .containsExactlyElementsOf(ChannelIngressRoutes.STEPS);
            assertThat(step(route, ChannelIngressRoutes.CHECK).getDescriptionText()).as(route.getRouteId())
                    .isEqualTo("decode, validate, authorize");
        }
    }

    @Test
    void anSftpRouteWritesTheSignaturesBeforeTheReceiptFileBesideTheInputAndInTheOutbox() {
        List<String> writes = List.of("signatures-to-done", "signatures-to-error", "signatures-to-outbox", "receipt-file",
                "receipt-file-to-done", "receipt-file-to-error", "receipt-file-to-outbox");
        assertThat(namedSteps(camel.getRouteDefinition("ingress-sftp-MOF.TAX"), writes)).containsExactlyElementsOf(writes);
    }

    @Test
    void theDispatchRoundShowsClaimEncodeDeliverOutcomeInOrder() {
        RouteDefinition round = camel.getRouteDefinition(DispatchRoutes.ROUND_ROUTE);
        assertThat(namedSteps(round, DispatchRoutes.STEPS)).containsExactlyElementsOf(DispatchRoutes.STEPS);
        RouteDefinition poller = camel.getRouteDefinition(DispatchRoutes.ROUTE);
        assertThat(poller.getInput().getEndpointUri()).startsWith("timer:dispatch");
        assertThat(ids(poller)).contains("rounds", "round");
    }

    /** The ids of the route's nodes, depth first, without the route's node prefix. */
    private static List<String> ids(RouteDefinition route) {
        List<String> ids = new ArrayList<>();
        collect(route.getOutputs(), route.getNodePrefixId(), ids);
        return ids;
    }

    private static void collect(List<ProcessorDefinition<?>> nodes, String prefix, List<String> ids) {
        for (ProcessorDefinition<?> node : nodes) {
            String id = node.getId();
            if (id != null) {
                ids.add(prefix != null && id.startsWith(prefix) ? id.substring(prefix.length()) : id);
            }
            collect(node.getOutputs(), prefix, ids);
        }
    }

    /** The route's nodes that are named steps, in route order. */
    private static List<String> namedSteps(RouteDefinition route, List<String> steps) {
        return ids(route).stream().filter(steps::contains).toList();
    }

    private static ProcessorDefinition<?> step(RouteDefinition route, String name) {
        List<ProcessorDefinition<?>> found = new ArrayList<>();
        find(route.getOutputs(), route.getNodePrefixId(), name, found);
        assertThat(found).as(route.getRouteId() + " step " + name).hasSize(1);
        return found.get(0);
    }

    private static void find(List<ProcessorDefinition<?>> nodes, String prefix, String name,
            List<ProcessorDefinition<?>> found) {
        for (ProcessorDefinition<?> node : nodes) {
            String id = node.getId();
            if (id != null && (id.equals(name) || id.equals(prefix + name))) {
                found.add(node);
            }
            find(node.getOutputs(), prefix, name, found);
        }
    }
}
