package vn.lienthong.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.SchemaCatalog;

/**
 * The envelope schema selected by a message's type (only that type's branch of the envelope's
 * allOf) finds exactly what the whole envelope finds: the same keywords, places, schema locations
 * and words, on every bundled example and on each example sent under every other type.
 */
class SchemaByTypeTest {

    private static final SchemaCatalog CATALOG = SchemaCatalog.get();

    static Stream<Path> examples() {
        return Examples.all().stream().filter(p -> p.getFileName().toString().endsWith(".json"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theTypesBranchFindsWhatTheWholeEnvelopeFinds(Path example) throws Exception {
        JsonNode tree;
        try {
            tree = CanonicalJson.mapper().readTree(Examples.bytes(example));
        } catch (Exception notJson) {
            return;
        }
        if (!(tree instanceof ObjectNode object)) {
            return;
        }
        assertSameFindings(object);
        // The same members under every other type: the other branches' findings, too.
        for (MessageType type : MessageType.values()) {
            ObjectNode retyped = object.deepCopy();
            retyped.put("type", type.wireName());
            assertSameFindings(retyped);
        }
    }

    @Test
    void aMessageOfAKnownTypeIsCheckedAgainstItsBranchOnly() {
        for (MessageType type : MessageType.values()) {
            ObjectNode message = CanonicalJson.mapper().createObjectNode().put("type", type.wireName());
            JsonNode allOf = CATALOG.envelopeFor(message).getSchemaNode().get("allOf");
            long branches = 0;
            for (JsonNode branch : allOf) {
                branches += branch.isObject() ? 1 : 0;
            }
            assertThat(branches).as(type.wireName()).isEqualTo(1);
            assertThat(allOf.size()).isEqualTo(CATALOG.envelope().getSchemaNode().get("allOf").size());
        }
        ObjectNode unknown = CanonicalJson.mapper().createObjectNode().put("type", "no.such.type");
        assertThat(CATALOG.envelopeFor(unknown)).isSameAs(CATALOG.envelope());
        assertThat(CATALOG.envelopeFor(CanonicalJson.mapper().createObjectNode().put("type", 5)))
                .isSameAs(CATALOG.envelope());
    }

    private static void assertSameFindings(ObjectNode message) {
        assertThat(describe(CATALOG.envelopeFor(message).validate(message)))
                .isEqualTo(describe(CATALOG.envelope().validate(message)));
    }

    private static Set<String> describe(Set<ValidationMessage> findings) {
        Set<String> described = new TreeSet<>();
        for (ValidationMessage m : findings) {
            described.add(String.join(" | ", List.of(m.getType(), String.valueOf(m.getInstanceLocation()),
                    String.valueOf(m.getSchemaLocation()), String.valueOf(m.getEvaluationPath()),
                    String.valueOf(m.getProperty()), m.getMessage())));
        }
        return described;
    }
}
