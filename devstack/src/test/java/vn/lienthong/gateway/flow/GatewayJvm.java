package vn.lienthong.gateway.flow;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * The gateway in a JVM of its own, for the tests that kill it on purpose (GatewayKillTest,
 * KafkaKillTest): started on the test's class path with the flow tests' settings, its inputs sent
 * together, its log's tail for a failure's message.
 */
final class GatewayJvm {

    private GatewayJvm() {
    }

    /** Starts {@link GatewayApplication} with the flow tests' settings and {@code settings} over them. */
    static Process start(Map<String, Object> settings, Path log) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>(FlowSupport.properties());
        properties.putAll(settings);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(GatewayApplication.class.getName());
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Sends the bodies to {@code queue} in one JMS transaction, each with MOIT.DMS's token, so they arrive together. */
    static void sendTogether(String queue, Iterable<byte[]> bodies) throws Exception {
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (byte[] body : bodies) {
                TextMessage message = s.createTextMessage(new String(body, StandardCharsets.UTF_8));
                message.setStringProperty("Authorization", Tokens.bearer("MOIT.DMS"));
                p.send(message);
            }
            s.commit();
        }
    }

    /** A template on the stack's PostgreSQL at {@code url} (the shared database, or a test's own). */
    static JdbcTemplate database(String url) {
        Map<String, Object> p = TestStack.get().springProperties();
        return new JdbcTemplate(new DriverManagerDataSource(url, String.valueOf(p.get("spring.datasource.username")),
                String.valueOf(p.get("spring.datasource.password"))));
    }

    /** The shared database's URL. */
    static String sharedUrl() {
        return String.valueOf(TestStack.get().springProperties().get("spring.datasource.url"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The last 40 lines of a log. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
