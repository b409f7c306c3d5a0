package vn.lienthong.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.SchemaCatalog;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Organization;
import vn.lienthong.schemas.v1.Payload;
import vn.lienthong.schemas.v1.Person;
import vn.lienthong.schemas.v1.Subject;

/**
 * The schemas are the single source of truth; the records mirror them. Shown two ways:
 * <ul>
 *   <li>statically: every record has exactly the members of its schema object, nested the same way,
 *       and every Java enum has exactly the schema's values;</li>
 *   <li>on every valid example, mutated member by member (removed, an unknown member added, a wrong
 *       JSON type, a value outside an enumeration): whenever the schema rejects the mutant for its
 *       shape (required, additionalProperties, type, enum, const, anyOf), binding it to the records
 *       fails too, and whenever the schema accepts it, the records accept it.</li>
 * </ul>
 * Value constraints (patterns, formats, ranges) are the schema's alone: records are only ever built
 * by the validator from trees the schema and rules accepted, which {@link ExamplesTest} shows.
 */
class SchemaRecordMirrorTest {

    private static final SchemaCatalog CATALOG = SchemaCatalog.get();
    private static final SchemaCheck SCHEMA = new SchemaCheck(CATALOG);
    /** Keywords about the shape of a message, which the records enforce too. */
    private static final Set<String> STRUCTURAL =
            Set.of("required", "additionalProperties", "type", "enum", "const", "anyOf", "oneOf", "dependentRequired");

    // ---------------------------------------------------------------- static mirror

    @Test
    void recordsHaveExactlyTheMembersOfTheirSchemas() {
        List<String> mismatches = new ArrayList<>();
        JsonNode envelope = CATALOG.document("envelope.schema.json");
        mirror(Envelope.class, envelope, "envelope.schema.json", "Envelope", mismatches);
        for (JsonSubTypes.Type sub : Payload.class.getAnnotation(JsonSubTypes.class).value()) {
            MessageType type = MessageType.fromWireName(sub.name()).orElseThrow();
            String file = SchemaCatalog.fileOf(type);
            mirror(sub.value(), CATALOG.document(file), file, sub.value().getSimpleName(), mismatches);
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyMessageTypeHasARecordAndASchema() {
        Set<String> records = new TreeSet<>();
        for (JsonSubTypes.Type sub : Payload.class.getAnnotation(JsonSubTypes.class).value()) {
            records.add(sub.name());
        }
        Set<String> types = new TreeSet<>();
        for (MessageType t : MessageType.values()) {
            types.add(t.wireName());
        }
        assertThat(records).isEqualTo(types);
        Set<String> schemaEnum = new TreeSet<>();
        CATALOG.document("envelope.schema.json").at("/properties/type/enum").forEach(n -> schemaEnum.add(n.asText()));
        assertThat(schemaEnum).isEqualTo(types);
    }

    private void mirror(Type javaType, JsonNode schema, String doc, String where, List<String> out) {
        Resolved r = resolve(schema, doc);
        schema = r.node;
        doc = r.doc;
        Class<?> raw = raw(javaType);
        if (List.class.isAssignableFrom(raw)) {
            Type element = ((ParameterizedType) javaType).getActualTypeArguments()[0];
            if (!schema.has("items")) {
                out.add(where + ": a List where the schema has no array");
                return;
            }
            mirror(element, schema.get("items"), doc, where + "[]", out);
        } else if (raw == Subject.class) {
            JsonNode common = CATALOG.document("common.schema.json");
            mirror(Person.class, common.at("/$defs/person"), "common.schema.json", where + "(person)", out);
            mirror(Organization.class, common.at("/$defs/organization"), "common.schema.json", where + "(organization)", out);
        } else if (raw.isRecord()) {
            JsonNode props = schema.get("properties");
            if (props == null) {
                out.add(where + ": a record where the schema has no object with properties");
                return;
            }
            Set<String> schemaNames = new TreeSet<>();
            props.fieldNames().forEachRemaining(schemaNames::add);
            if (raw == Person.class || raw == Organization.class) {
                schemaNames.remove("kind"); // the discriminator, written by @JsonTypeInfo
            }
            if (raw == Envelope.class) {
                schemaNames.remove("type"); // the payload's type id
            }
            Set<String> recordNames = new TreeSet<>();
            for (RecordComponent c : raw.getRecordComponents()) {
                recordNames.add(jsonName(c));
            }
            if (!schemaNames.equals(recordNames)) {
                out.add(where + ": schema " + schemaNames + " but record " + recordNames);
                return;
            }
            for (RecordComponent c : raw.getRecordComponents()) {
                if (raw == Envelope.class && c.getName().equals("payload")) {
                    continue; // checked type by type
                }
                mirror(c.getGenericType(), props.get(jsonName(c)), doc, where + "." + jsonName(c), out);
            }
        } else if (raw.isEnum()) {
            Set<String> schemaValues = new TreeSet<>();
            JsonNode values = schema.get("enum");
            if (values == null) {
                out.add(where + ": an enum where the schema has none");
                return;
            }
            values.forEach(v -> schemaValues.add(v.asText()));
            Set<String> javaValues = new TreeSet<>();
            for (Object constant : raw.getEnumConstants()) {
                javaValues.add(enumName(raw, (Enum<?>) constant));
            }
            if (!schemaValues.equals(javaValues)) {
                out.add(where + ": schema enum " + schemaValues + " but Java " + javaValues);
            }
        }
    }

    private record Resolved(JsonNode node, String doc) {
    }

    /** Follows $ref (within the bundled documents) until a schema with content. */
    private static Resolved resolve(JsonNode schema, String doc) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            int hash = ref.indexOf('#');
            String file = hash == 0 ? doc : (hash < 0 ? ref : ref.substring(0, hash));
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            doc = file;
            schema = CATALOG.document(file).at(pointer);
        }
        return new Resolved(schema, doc);
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static String jsonName(RecordComponent c) {
        // @JsonProperty does not target record components; Java propagates it to the accessor.
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    private static String enumName(Class<?> type, Enum<?> constant) {
        try {
            Field f = type.getField(constant.name());
            JsonProperty p = f.getAnnotation(JsonProperty.class);
            return p != null ? p.value() : constant.name();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- mutations

    static Stream<Arguments> validExamples() {
        return Examples.valid().stream().map(p -> Arguments.of(Examples.relative(p), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void recordsRejectWhatTheSchemaRejectsAndAcceptWhatItAccepts(String name, Path example) throws Exception {
        ObjectNode original = (ObjectNode) CanonicalJson.mapper().readTree(Examples.bytes(example));
        assertThat(SCHEMA.check(original)).as("the example itself").isEmpty();
        assertThat(bind(original)).as("binding the example").isNull();

        List<String> disagreements = new ArrayList<>();
        int[] mutants = {0};
        forEachMutant(original, (label, mutant) -> {
            mutants[0]++;
            Set<String> keywords = new TreeSet<>();
            SCHEMA.findings(mutant).forEach(m -> keywords.add(m.getType()));
            String bindFailure = bind(mutant);
            if (keywords.isEmpty() && bindFailure != null) {
                disagreements.add(label + ": schema accepts, records reject (" + bindFailure + ")");
            } else if (keywords.stream().anyMatch(STRUCTURAL::contains) && bindFailure == null) {
                disagreements.add(label + ": schema rejects " + keywords + ", records accept");
            }
        });
        assertThat(mutants[0]).isGreaterThan(10);
        assertThat(disagreements).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void recordsWriteBackWhatTheyRead(String name, Path example) throws Exception {
        ValidationResult result = Examples.validator().validate(Examples.bytes(example));
        assertThat(result.errors()).isEmpty();
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        JsonNode written = CanonicalJson.mapper().valueToTree(valid.message());
        // Numbers compare by value: a Long component writes a LongNode where the input had an IntNode.
        assertThat(written.equals(SchemaRecordMirrorTest::compareValues, valid.normalized()))
                .as("written %s%nread    %s", written, valid.normalized()).isTrue();
        assertThat(SCHEMA.check(written)).isEmpty();
    }

    private static int compareValues(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    /** Null when the tree binds to the records, else why not. */
    private static String bind(JsonNode tree) {
        try {
            CanonicalJson.mapper().treeToValue(tree, Envelope.class);
            return null;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause.getClass().getSimpleName() + ": " + String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        }
    }

    private interface MutantSink {
        void accept(String label, ObjectNode mutant);
    }

    /** Mutants of the document, each one change away from it. */
    private static void forEachMutant(ObjectNode doc, MutantSink sink) {
        List<String> pointers = new ArrayList<>();
        collect(doc, "", pointers);
        for (String pointer : pointers) {
            JsonNode node = doc.at(pointer);
            if (!pointer.isEmpty()) {
                mutate(doc, pointer, parent -> removeLast(parent, pointer), sink, "remove " + pointer);
            }
            if (node.isObject()) {
                mutate(doc, pointer, target -> ((ObjectNode) target.at(pointer)).put("unexpectedMember", "x"),
                        sink, "add unknown member at " + pointer);
            }
            if (node.isTextual() && !pointer.endsWith("/kind") && !pointer.equals("/type")) {
                mutate(doc, pointer, parent -> replaceLast(parent, pointer, IntNode.valueOf(12345)), sink,
                        "number for string at " + pointer);
                mutate(doc, pointer, parent -> replaceLast(parent, pointer, TextNode.valueOf("NOT_A_VALUE_OF_ANY_ENUM")),
                        sink, "other text at " + pointer);
            }
            if (node.isNumber() || node.isBoolean()) {
                mutate(doc, pointer, parent -> replaceLast(parent, pointer, TextNode.valueOf(node.asText())), sink,
                        "string for " + node.getNodeType() + " at " + pointer);
            }
        }
    }

    private static void mutate(ObjectNode doc, String pointer, Consumer<ObjectNode> change, MutantSink sink, String label) {
        ObjectNode copy = doc.deepCopy();
        change.accept(copy);
        sink.accept(label, copy);
    }

    private static void collect(JsonNode node, String pointer, List<String> out) {
        out.add(pointer);
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                collect(node.get(f), pointer + "/" + f.replace("~", "~0").replace("/", "~1"), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, out);
            }
        }
    }

    private static void removeLast(ObjectNode doc, String pointer) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = doc.at(pointer.substring(0, slash));
        String last = unescape(pointer.substring(slash + 1));
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a) {
            a.remove(Integer.parseInt(last));
        }
    }

    private static void replaceLast(ObjectNode doc, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = doc.at(pointer.substring(0, slash));
        String last = unescape(pointer.substring(slash + 1));
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), value);
        }
    }

    private static String unescape(String s) {
        return s.replace("~1", "/").replace("~0", "~");
    }
}
