package vn.lienthong.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import vn.lienthong.gateway.embedded.EmbeddedStack;
import vn.lienthong.gateway.embedded.KeycloakServer;
import vn.lienthong.gateway.identity.KeycloakProvisioner;
import vn.lienthong.gateway.identity.ProvisioningReport;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.policy.RestCaller;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The embedded default: the stack on fixed ports of 127.0.0.1 with its data under
 * {@code .lienthong/embedded}, an SFTP account per agency folder of the registry, and a demo
 * message with the commands to send and read it.
 */
final class EmbeddedDefault implements AutoCloseable {

    /** RFC 3339 with seconds always written (OffsetDateTime.toString drops ":00"). */
    private static final java.time.format.DateTimeFormatter RFC_3339_SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    static final Path DATA = Path.of(".lienthong", "embedded");
    static final String REGISTRY = "config/agencies.yaml";
    /** Demo passwords of the agencies' SFTP accounts (until Keycloak checks them): client id + this. */
    static final String DEMO_PASSWORD_SUFFIX = "-demo-secret";
    /** Keycloak's HTTP port in the embedded default (8080 is the gateway's). */
    static final int KEYCLOAK_PORT = 8180;
    /** Keycloak's management port ({@code /health/ready}). */
    static final int KEYCLOAK_MANAGEMENT_PORT = 8181;

    private final EmbeddedStack stack;
    /** The id of the demo notice written at start, which the printed commands name. */
    private String demoMessageId = "";

    private EmbeddedDefault(EmbeddedStack stack) {
        this.stack = stack;
    }

    static EmbeddedDefault start() {
        Registry registry = Registry.load(Path.of(REGISTRY));
        EmbeddedStack.Options.Builder options = EmbeddedStack.Options.builder(DATA)
                .artemisPort(61616).kafkaPort(9092).sftpPort(2222).postgresPort(5433).httpPort(8080)
                .gatewaySftp("gateway", "gateway" + DEMO_PASSWORD_SUFFIX)
                // The realm lives in an H2 file under DATA: clients added or rotated stay so.
                .keycloak(EmbeddedStack.KeycloakOptions.demo(KeycloakServer.Storage.FILE)
                        .withPorts(KEYCLOAK_PORT, KEYCLOAK_MANAGEMENT_PORT));
        for (Agency agency : registry.agencies()) {
            for (Channel channel : agency.channels(ChannelKind.SFTP)) {
                options.sftpUser(agency.keycloakClient(), agency.keycloakClient() + DEMO_PASSWORD_SUFFIX,
                        channel.folder().orElseThrow());
            }
        }
        System.out.println("lienthong: starting the embedded stack (Artemis, Kafka, SFTP, PostgreSQL, Keycloak) ...");
        EmbeddedStack stack = EmbeddedStack.start(options.build());
        try {
            syncRealm(stack.keycloak(), registry);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return new EmbeddedDefault(stack);
    }

    /**
     * Brings the realm up to {@value #REGISTRY} (an agency added there gets its client, with the demo
     * secret) and prints what changed and any drift.
     */
    private static void syncRealm(KeycloakServer keycloak, Registry registry) {
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(keycloak.baseUrl(), keycloak.adminUsername(),
                keycloak.adminPassword())) {
            ProvisioningReport report = provisioner.withDemoSecrets().sync(registry);
            System.out.print("lienthong: Keycloak realm synced with " + REGISTRY + ": " + report.describe());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot sync the Keycloak realm on " + keycloak.baseUrl() + " with "
                    + REGISTRY + " (log " + keycloak.logFile() + ")", e);
        }
    }

    Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(stack.springProperties());
        properties.put("lienthong.registry", REGISTRY);
        return properties;
    }

    /** Every endpoint, and commands to send a violation notice and read it at its recipient. */
    String describe(String httpPort) {
        Path demo = writeDemoNotice();
        String api = "http://127.0.0.1:" + httpPort + "/api/v1";
        return """

                lienthong is running on the embedded default.
                %s
                  REST API        %s   (callers name their agency in the %s header until tokens arrive)
                  health          http://127.0.0.1:%s/actuator/health
                  receipt keys    %s/keys   (receipts are signed JWS; check one with: java -jar
                                  routes/target/lienthong-gateway.jar receipt-verify <jws-file> %s/keys)
                  SFTP accounts   <keycloakClient> / <keycloakClient>%s, e.g. mof-tax / mof-tax%s

                Send a violation notice from MOIT.DMS to PROV.37:
                  curl -s -X POST -H '%s: MOIT.DMS' -H 'Content-Type: application/json' --data-binary @%s %s/messages

                Read it in PROV.37's inbox, then acknowledge it (deliveryId from the inbox):
                  curl -s -H '%s: PROV.37' %s/inbox
                  curl -s -X POST -H '%s: PROV.37' %s/inbox/<deliveryId>/ack

                Its status and deliveries, as MOIT.DMS sees them:
                  curl -s -H '%s: MOIT.DMS' %s/messages/%s
                %s""".formatted(stack.describe(), api, RestCaller.AGENCY_HEADER, httpPort, api, api, DEMO_PASSWORD_SUFFIX,
                DEMO_PASSWORD_SUFFIX, RestCaller.AGENCY_HEADER, demo, api, RestCaller.AGENCY_HEADER, api,
                RestCaller.AGENCY_HEADER, api, RestCaller.AGENCY_HEADER, api, demoMessageId, describeIdentity());
    }

    /** Keycloak's console, the agencies' demo credentials and how to get a token. */
    private String describeIdentity() {
        KeycloakServer keycloak = stack.keycloak();
        return """

                Keycloak (realm %s, kept in %s):
                  admin console   %s/admin/   user %s, password %s (demo only)
                  agency clients  client id <keycloakClient>, secret <keycloakClient>%s (client credentials)
                  people          operator / operator-demo, auditor / auditor-demo
                  provisioning    java -jar routes/target/lienthong-gateway.jar keycloak sync --url %s --admin-password %s

                A token for MOIT.DMS (valid 5 minutes; send it as Authorization: Bearer $TOKEN):
                  TOKEN=$(curl -s -u moit-dms:moit-dms%s -d grant_type=client_credentials %s | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                """.formatted(KeycloakServer.REALM, DATA.resolve("keycloak"), keycloak.baseUrl(), keycloak.adminUsername(),
                keycloak.adminPassword(), DEMO_PASSWORD_SUFFIX, keycloak.baseUrl(), keycloak.adminPassword(),
                DEMO_PASSWORD_SUFFIX, keycloak.tokenEndpoint());
    }

    /** A fresh notice from the bundled examples, from MOIT.DMS to PROV.37, dated now. */
    private Path writeDemoNotice() {
        String example = "lienthong/examples/v1/violation.notice/valid-counterfeit-cosmetics-shopee.json";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(example)) {
            ObjectNode notice = (ObjectNode) CanonicalJson.mapper().readTree(in);
            demoMessageId = UUID.randomUUID().toString();
            String now = OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339_SECONDS);
            notice.put("messageId", demoMessageId);
            notice.put("sender", "MOIT.DMS");
            notice.putArray("recipients").add("PROV.37");
            notice.put("createdAt", now);
            notice.remove("deadline");
            Path file = DATA.resolve("demo").resolve("violation-notice.json").toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.write(file, CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(notice));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo notice", e);
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
