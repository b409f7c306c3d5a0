package vn.lienthong.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default's logging ({@code logback-devstack.xml}): every INFO line goes to the log
 * file, the terminal gets warnings only, Kafka's routine start-up warnings stay in the file, and
 * a token is masked in both (the gateway's masking layout).
 */
class QuietStartTest {

    @Test
    void infoGoesToTheFileAndOnlyWarningsToTheTerminal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lienthong.log");
        PrintStream terminal = System.out;
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        // A context of its own (not the test JVM's) needs its MDC adapter, as SLF4J's binding would give it.
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(shown, true, StandardCharsets.UTF_8));
            context.putProperty("LIENTHONG_LOG_FILE", file.toString());
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(getClass().getClassLoader().getResource(DevstackApplication.LOGGING));
            context.getLogger("org.apache.kafka.controller.QuorumController").warn("metadata log appears to be empty");
            context.getLogger("org.apache.activemq.artemis.core.server").info("AMQ221007: Server is now live");
            context.getLogger("vn.lienthong.gateway.registry").warn("no connector for format x");
            context.getLogger("org.apache.camel").warn("sent with Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        } finally {
            context.stop();
            System.setOut(terminal);
        }
        String logged = Files.exists(file) ? Files.readString(file) : "";
        if (!logged.contains("Server is now live")) {
            ch.qos.logback.core.util.StatusPrinter2 printer = new ch.qos.logback.core.util.StatusPrinter2();
            printer.print(context);
        }
        assertThat(logged).contains("metadata log appears to be empty").contains("Server is now live")
                .contains("no connector for format x");
        String console = shown.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("no connector for format x");
        assertThat(console).doesNotContain("Server is now live").doesNotContain("metadata log");
        assertThat(logged + console).contains("sent with Authorization").doesNotContain("eyJzdWIiOiJ4In0");
    }
}
