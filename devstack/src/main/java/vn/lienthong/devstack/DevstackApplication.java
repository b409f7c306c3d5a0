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

    /** The embedded default's logging: everything to a file, warnings to the terminal. */
    static final String LOGGING = "logback-devstack.xml";

    private DevstackApplication() {
    }

    /** Starts the stack, then the gateway; Ctrl-C stops the gateway first, then the servers. */
    public static void main(String[] args) {
        // Before anything logs: logback-devstack.xml sends every line to this file and only
        // warnings to the terminal (the servers start before Spring, which is told the same below).
        boolean ownLogging = System.getProperty("logback.configurationFile") == null;
        if (ownLogging) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        String logFile = System.getenv().getOrDefault("LIENTHONG_LOG_FILE", ".lienthong/logs/lienthong.log");
        System.out.println("lienthong: full logs in " + java.nio.file.Path.of(logFile).toAbsolutePath()
                + " (the terminal shows warnings only)");
        EmbeddedDefault embedded = EmbeddedDefault.start();
        if (ownLogging) {
            // Logback is configured by now; Spring takes the same file as logging.config (and warns
            // about the system property if it is still set).
            System.clearProperty("logback.configurationFile");
        }
        SpringApplication app = new SpringApplicationBuilder(GatewayApplication.class)
                .properties(embedded.springProperties())
                .properties(java.util.Map.of("logging.config", "classpath:" + LOGGING))
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
