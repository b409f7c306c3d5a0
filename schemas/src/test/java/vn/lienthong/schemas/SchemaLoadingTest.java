package vn.lienthong.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The schemas are compiled and applied the same on a thread whose context class loader cannot see
 * them (a common-pool thread inside the gateway's jar carries the system loader, which cannot): the
 * catalog reads its schemas with its own module's class loader.
 */
class SchemaLoadingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aThreadWhoseContextLoaderCannotSeeTheSchemasCompilesAndValidatesEveryType() throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        messages.add(example("valid-tax-registration-and-invoices.json"));
        for (MessageType type : MessageType.values()) {
            messages.add(MAPPER.createObjectNode().put("type", type.wireName()));
        }
        List<Set<String>> onThisThread = findings(SchemaCatalog.loadAfresh(), messages);

        AtomicReference<Object> blind = new AtomicReference<>();
        try (URLClassLoader seesNothing = new URLClassLoader(new URL[0], null)) {
            assertThat(seesNothing.getResource(SchemaCatalog.CLASSPATH_DIR + "common.schema.json")).isNull();
            Thread thread = new Thread(() -> {
                try {
                    blind.set(findings(SchemaCatalog.loadAfresh(), messages));
                } catch (Throwable t) {
                    blind.set(t);
                }
            }, "blind-context-loader");
            thread.setContextClassLoader(seesNothing);
            thread.start();
            thread.join();
        }
        if (blind.get() instanceof Throwable t) {
            throw new AssertionError("validation failed on a thread whose context loader cannot see the schemas", t);
        }
        assertThat(blind.get()).isEqualTo(onThisThread);
        assertThat(onThisThread.get(0)).as("the valid example").isEmpty();
        assertThat(onThisThread.subList(1, onThisThread.size())).allSatisfy(f -> assertThat(f).isNotEmpty());
    }

    private static JsonNode example(String file) throws Exception {
        try (var in = SchemaLoadingTest.class.getClassLoader()
                .getResourceAsStream("lienthong/examples/v1/info.response/" + file)) {
            return MAPPER.readTree(in);
        }
    }

    private static List<Set<String>> findings(SchemaCatalog catalog, List<JsonNode> messages) {
        List<Set<String>> all = new ArrayList<>();
        for (JsonNode message : messages) {
            JsonSchema schema = catalog.envelopeFor(message);
            Set<String> found = new TreeSet<>();
            for (ValidationMessage m : schema.validate(message)) {
                found.add(m.getType() + " " + m.getInstanceLocation() + " " + m.getSchemaLocation());
            }
            all.add(found);
        }
        return all;
    }
}
