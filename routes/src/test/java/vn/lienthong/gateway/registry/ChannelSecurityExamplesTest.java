package vn.lienthong.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The production examples of broker authorization in {@code config/} (Artemis security settings,
 * Kafka ACLs) cover every JMS and Kafka channel of {@code config/agencies.yaml}: each agency may
 * send to its inbound address and read its outbound one, nothing of another agency's, and the
 * gateway everything.
 */
class ChannelSecurityExamplesTest {

    private static final Registry REAL = Registry.load(Path.of("../config/agencies.yaml"));
    private static final String GATEWAY = "lienthong-gateway";

    @Test
    void artemisSecuritySettingsCoverEveryJmsChannel() throws Exception {
        // match -> permission type -> roles
        Map<String, Map<String, Set<String>>> settings = new HashMap<>();
        var dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList nodes = dbf.newDocumentBuilder().parse(Path.of("../config/artemis/security-settings.xml").toFile())
                .getElementsByTagName("security-setting");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element setting = (Element) nodes.item(i);
            Map<String, Set<String>> permissions = new HashMap<>();
            NodeList each = setting.getElementsByTagName("permission");
            for (int j = 0; j < each.getLength(); j++) {
                Element p = (Element) each.item(j);
                permissions.put(p.getAttribute("type"), Arrays.stream(p.getAttribute("roles").split(","))
                        .map(String::trim).collect(Collectors.toSet()));
            }
            settings.put(setting.getAttribute("match"), permissions);
        }
        String roles = Files.readString(Path.of("../config/artemis/artemis-roles.properties"));
        String users = Files.readString(Path.of("../config/artemis/artemis-users.properties"));

        Set<String> agencyAddresses = new HashSet<>();
        for (Agency agency : REAL.agencies()) {
            for (Channel channel : agency.channels(ChannelKind.JMS)) {
                String client = agency.keycloakClient();
                String in = channel.inbound().orElseThrow();
                String out = channel.outbound().orElseThrow();
                agencyAddresses.addAll(List.of(in, out));
                assertThat(settings).as(agency.code()).containsKeys(in, out);
                assertThat(settings.get(in).get("send")).as(in).contains(client, GATEWAY);
                assertThat(settings.get(in).get("consume")).as(in).containsExactly(GATEWAY);
                assertThat(settings.get(out).get("consume")).as(out).contains(client, GATEWAY);
                assertThat(settings.get(out).get("send")).as(out).containsExactly(GATEWAY);
                assertThat(roles).as("role of " + client).containsPattern("(?m)^" + client + " = " + client + "$");
                assertThat(users).as("user " + client).containsPattern("(?m)^" + client + " = ENC\\(");
            }
        }
        // No agency's role appears on an address that is not one of its own.
        settings.forEach((match, permissions) -> permissions.values().stream().flatMap(Set::stream)
                .filter(role -> !role.equals(GATEWAY))
                .forEach(role -> assertThat(REAL.agencies().stream().filter(a -> a.keycloakClient().equals(role))
                        .flatMap(a -> a.channels(ChannelKind.JMS).stream())
                        .flatMap(c -> java.util.stream.Stream.of(c.inbound().orElseThrow(), c.outbound().orElseThrow())))
                        .as("role %s on %s", role, match).contains(match)));
        assertThat(settings.get("lienthong.#").get("consume")).containsExactly(GATEWAY);
        assertThat(agencyAddresses).isNotEmpty();
    }

    @Test
    void kafkaAclsCoverEveryKafkaChannel() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../config/kafka/acls.sh")).stream()
                .filter(l -> l.startsWith("acl ")).toList();
        Set<String> expected = new HashSet<>();
        for (Agency agency : REAL.agencies()) {
            for (Channel channel : agency.channels(ChannelKind.KAFKA)) {
                String principal = "--allow-principal User:" + agency.keycloakClient();
                expected.add("acl " + principal + " --operation Write --operation Describe --topic "
                        + channel.inbound().orElseThrow());
                expected.add("acl " + principal + " --operation Read --operation Describe --topic "
                        + channel.outbound().orElseThrow());
                expected.add("acl " + principal + " --operation Read --group lienthong." + agency.code()
                        + ". --resource-pattern-type prefixed");
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(lines.stream().filter(l -> !l.contains("User:" + GATEWAY)).toList())
                .as("exactly the agencies' lines the registry calls for").containsExactlyInAnyOrderElementsOf(expected);
    }
}
