package vn.lienthong.devstack;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import vn.lienthong.gateway.GatewayApplication;

/**
 * The embedded default in one command: starts the stack (Artemis, Kafka, SFTP, PostgreSQL on
 * 127.0.0.1, Keycloak as a child process) with the demo agencies, then the gateway pointed at it.
 */
public final class DevstackApplication {

    private DevstackApplication() {
    }

    /** Starts the stack, then the gateway; Ctrl-C stops the gateway first, then the servers. */
    public static void main(String[] args) {
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
}
