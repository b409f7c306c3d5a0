package vn.lienthong.devstack;

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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import vn.lienthong.gateway.identity.SftpLogin;
import vn.lienthong.gateway.identity.KeycloakSftpLogin;
import vn.lienthong.gateway.identity.provisioning.KeycloakProvisioner;
import vn.lienthong.gateway.identity.provisioning.ProvisioningReport;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
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
    /** Demo secrets of the agencies' Keycloak clients (also their SFTP passwords): client id + this. */
    static final String DEMO_PASSWORD_SUFFIX = "-demo-secret";
    /** The gateway's own SFTP account, which sees every agency's folder. */
    static final String GATEWAY_SFTP_USER = "gateway";
    /** Its password's file in {@link #DATA}: random, made at the first start (see {@link LocalSecret}). */
    static final String GATEWAY_SFTP_SECRET = "gateway-sftp.secret";
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
        // The gateway's account sees every agency's folder: its password is this data folder's own.
        LocalSecret gatewaySftp = LocalSecret.readOrCreate(DATA.resolve(GATEWAY_SFTP_SECRET));
        if (gatewaySftp.created()) {
            System.out.println("lienthong: the gateway's SFTP account (every agency's folder) is " + GATEWAY_SFTP_USER
                    + " with the password " + gatewaySftp.value() + "\n           (shown this once; kept in "
                    + DATA.resolve(GATEWAY_SFTP_SECRET).toAbsolutePath() + ", readable by its owner only)");
        }
        EmbeddedStack.Options.Builder options = EmbeddedStack.Options.builder(DATA)
                .artemisPort(61616).kafkaPort(9092).sftpPort(2222).postgresPort(5433).httpPort(8080)
                .gatewaySftp(GATEWAY_SFTP_USER, gatewaySftp.value())
                // The realm lives in an H2 file under DATA: clients added or rotated stay so.
                .keycloak(EmbeddedStack.KeycloakOptions.demo(KeycloakServer.Storage.FILE)
                        .withPorts(KEYCLOAK_PORT, KEYCLOAK_MANAGEMENT_PORT));
        Map<String, String> agencyOfClient = new LinkedHashMap<>();
        for (Agency agency : registry.agencies()) {
            agencyOfClient.put(agency.keycloakClient(), agency.code());
            for (Channel channel : agency.channels(ChannelKind.SFTP)) {
                // Each agency in its own folder; its password is checked by Keycloak (below).
                options.sftpUser(agency.keycloakClient(), agency.keycloakClient() + DEMO_PASSWORD_SUFFIX,
                        channel.folder().orElseThrow());
            }
        }
        // Agencies log in with their client id and secret, checked by Keycloak, whose port is
        // known once the stack is made; the gateway's own account has its local password.
        AtomicReference<SftpLogin> login = new AtomicReference<>((user, password) -> false);
        options.sftpLogin((user, password) -> login.get().authenticate(user, password));
        EmbeddedStack stack = new EmbeddedStack(options.build());
        SftpLogin gateway = SftpLogin.ofPasswords(Map.of(stack.gatewaySftpUser(), stack.gatewaySftpPassword()));
        login.set(KeycloakSftpLogin.of(stack.keycloak().issuer(), EmbeddedStack.GATEWAY_AUDIENCE,
                client -> Optional.ofNullable(agencyOfClient.get(client)),
                user -> user.equals(stack.gatewaySftpUser()) ? Optional.of(gateway) : Optional.empty()));
        System.out.println("lienthong: starting the embedded stack (Artemis, Kafka, SFTP, PostgreSQL, Keycloak) ...");
        stack.start();
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
        String tokens = stack.keycloak().tokenEndpoint();
        return """

                lienthong is running on the embedded default.
                %1$s
                  REST API        %2$s   (Authorization: Bearer <the agency's Keycloak access token>)
                  probes          http://127.0.0.1:%3$s/actuator/health/liveness, .../readiness (open)
                  for people      log in with Keycloak (operator / operator-demo, auditor / auditor-demo):
                                  console (VI/EN)         http://127.0.0.1:%3$s/console/
                                  route console (Hawtio)  http://127.0.0.1:%3$s/actuator/hawtio/
                                  operator API            %2$s/admin/messages?status=FAILED
                                  health, metrics         http://127.0.0.1:%3$s/actuator/health, /actuator/prometheus
                  receipt keys    %2$s/keys   (receipts are signed JWS; check one with: java -jar
                                  routes/target/lienthong-gateway.jar receipt-verify <jws-file> %2$s/keys)
                  SFTP accounts   <keycloakClient> / <keycloakClient>%4$s, e.g. mof-tax / mof-tax%4$s;
                                  the gateway's own (every folder): %9$s / the secret in %10$s

                Tokens of MOIT.DMS and PROV.37 (client credentials, valid 5 minutes):
                  DMS=$(curl -s -u moit-dms:moit-dms%4$s -d grant_type=client_credentials %5$s | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                  P37=$(curl -s -u prov-37:prov-37%4$s -d grant_type=client_credentials %5$s | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')

                Send a violation notice from MOIT.DMS to PROV.37:
                  curl -s -X POST -H "Authorization: Bearer $DMS" -H 'Content-Type: application/json' --data-binary @%6$s %2$s/messages

                Read it in PROV.37's inbox, then acknowledge it (deliveryId from the inbox):
                  curl -s -H "Authorization: Bearer $P37" %2$s/inbox
                  curl -s -X POST -H "Authorization: Bearer $P37" %2$s/inbox/<deliveryId>/ack

                Its status and deliveries, as MOIT.DMS sees them:
                  curl -s -H "Authorization: Bearer $DMS" %2$s/messages/%7$s
                %8$s""".formatted(stack.describe(), api, httpPort, DEMO_PASSWORD_SUFFIX, tokens, demo, demoMessageId,
                describeIdentity(), GATEWAY_SFTP_USER, DATA.resolve(GATEWAY_SFTP_SECRET));
    }

    /** Keycloak's console, the agencies' demo credentials and provisioning. */
    private String describeIdentity() {
        KeycloakServer keycloak = stack.keycloak();
        return """

                Keycloak (realm %s, kept in %s):
                  admin console   %s/admin/   user %s, password %s (demo only)
                  agency clients  client id <keycloakClient>, secret <keycloakClient>%s (client credentials)
                  people          operator / operator-demo, auditor / auditor-demo
                  provisioning    java -jar routes/target/lienthong-gateway.jar keycloak sync --url %s --admin-password %s
                """.formatted(KeycloakServer.REALM, DATA.resolve("keycloak"), keycloak.baseUrl(), keycloak.adminUsername(),
                keycloak.adminPassword(), DEMO_PASSWORD_SUFFIX, keycloak.baseUrl(), keycloak.adminPassword());
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
            // The example names files nobody uploaded (the gateway refuses that: ATTACHMENT_NOT_STORED):
            // the demo notice goes without them (README: attachments are uploaded first).
            notice.remove("attachments");
            notice.path("payload").path("evidence").forEach(e -> ((ObjectNode) e).remove("attachment"));
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
