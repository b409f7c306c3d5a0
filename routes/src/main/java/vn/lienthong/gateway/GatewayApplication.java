package vn.lienthong.gateway;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import vn.lienthong.gateway.bench.ThroughputBenchmark;
import vn.lienthong.gateway.identity.provisioning.KeycloakCommand;
import vn.lienthong.gateway.audit.AuditVerifyCommand;
import vn.lienthong.gateway.receipts.ReceiptVerifyCommand;

/**
 * Starts the gateway. Without the {@code production} profile it first starts the embedded stack
 * (Artemis, Kafka, SFTP, PostgreSQL on 127.0.0.1) and points the gateway at it.
 */
@SpringBootApplication
public class GatewayApplication {

    /**
     * Entry point: the gateway, or one of its commands ({@code audit-verify}, {@code benchmark},
     * {@code keycloak}, {@code receipt-verify})
     * when the first argument names it.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("-")) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "audit-verify" -> AuditVerifyCommand.main(rest);
                case "benchmark" -> ThroughputBenchmark.main(rest);
                case "keycloak" -> KeycloakCommand.main(rest);
                case "receipt-verify" -> ReceiptVerifyCommand.main(rest);
                default -> {
                    System.err.println("unknown command " + args[0]
                            + "; commands: audit-verify, benchmark, keycloak, receipt-verify");
                    System.exit(2);
                }
            }
            return;
        }
        if (production(args)) {
            SpringApplication.run(GatewayApplication.class, args);
            return;
        }
        EmbeddedDefault embedded = EmbeddedDefault.start();
        SpringApplication app = new SpringApplicationBuilder(GatewayApplication.class)
                .properties(embedded.springProperties())
                .build();
        // One hook, in order: the gateway stops before the servers it uses.
        app.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context;
        try {
            context = app.run(args);
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            embedded.close();
        }, "lienthong-shutdown"));
        System.out.println(embedded.describe(context.getEnvironment().getProperty("local.server.port", "8080")));
    }

    private static boolean production(String[] args) {
        String profiles = String.join(",", System.getProperty("spring.profiles.active", ""),
                System.getenv().getOrDefault("SPRING_PROFILES_ACTIVE", ""),
                String.join(",", Arrays.stream(args).filter(a -> a.startsWith("--spring.profiles.active="))
                        .map(a -> a.substring("--spring.profiles.active=".length())).toList()));
        return Arrays.asList(profiles.split(",")).contains("production");
    }
}
