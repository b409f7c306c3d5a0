package vn.lienthong.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * The v1 JSON Schemas bundled on the classpath: the compiled envelope schema, and the raw schema
 * documents for reading their annotations ({@code x-error-code}, documented enumerations).
 */
public final class SchemaCatalog {

    /** The {@code $id} prefix of every v1 schema. */
    public static final String BASE_IRI = "https://schemas.lienthong.vn/v1/";
    /** Where the v1 schemas live on the classpath. */
    public static final String CLASSPATH_DIR = "lienthong/schemas/v1/";
    /** The annotation naming the error code of a subschema's constraints. */
    public static final String ERROR_CODE_KEYWORD = "x-error-code";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaCatalog INSTANCE = new SchemaCatalog();

    private final Map<String, JsonNode> documents = new LinkedHashMap<>();
    private final JsonSchema envelope;
    private final Map<MessageType, JsonSchema> byType = new java.util.concurrent.ConcurrentHashMap<>();

    /** A catalog of its own, loaded and compiled afresh (tests: which loader compiles it). */
    static SchemaCatalog loadAfresh() {
        return new SchemaCatalog();
    }

    private SchemaCatalog() {
        documents.put("envelope.schema.json", load("envelope.schema.json"));
        documents.put("common.schema.json", load("common.schema.json"));
        for (MessageType type : MessageType.values()) {
            String file = fileOf(type);
            documents.put(file, load(file));
        }
        envelope = compile(null);
    }

    /**
     * The envelope schema compiled by a factory of its own. With {@code type}, its document is the
     * envelope whose {@code allOf} keeps only that type's {@code if}/{@code then} branch, the others
     * {@code true} (so every finding keeps its place and schema location): the schema a message of
     * that type is checked against, without evaluating the other types' conditions.
     */
    private JsonSchema compile(MessageType type) {
        JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new AnnotationKeyword(ERROR_CODE_KEYWORD))
                .build();
        String envelopeIri = BASE_IRI + "envelope.schema.json";
        byte[] variant = type == null ? null : branchOnly(type);
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> {
            b.metaSchema(metaSchema).schemaMappers(m -> m.mapPrefix(BASE_IRI, "classpath:" + CLASSPATH_DIR));
            b.schemaLoaders(l -> {
                if (variant != null) {
                    l.add(iri -> iri != null && (iri.toString().equals(envelopeIri)
                            || iri.toString().equals("classpath:" + CLASSPATH_DIR + "envelope.schema.json"))
                            ? () -> new ByteArrayInputStream(variant) : null);
                }
                // The library's own classpath loader asks the thread's context class loader, which
                // on a common-pool thread inside the gateway's jar cannot see the schemas: read
                // them with this module's loader, whatever thread compiles a schema.
                l.add(new ClasspathSchemaLoader(SchemaCatalog.class::getClassLoader));
            });
        });
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .failFast(false)
                .build();
        JsonSchema schema = factory.getSchema(SchemaLocation.of(envelopeIri), config);
        schema.initializeValidators();
        return schema;
    }

    /** The envelope document with only the branch of {@code type} in its {@code allOf}. */
    private byte[] branchOnly(MessageType type) {
        ObjectNode doc = documents.get("envelope.schema.json").deepCopy();
        ArrayNode allOf = (ArrayNode) doc.get("allOf");
        int kept = 0;
        for (int i = 0; i < allOf.size(); i++) {
            JsonNode branch = allOf.get(i);
            if (type.wireName().equals(branch.path("if").path("properties").path("type").path("const").asText(null))) {
                kept++;
            } else {
                allOf.set(i, BooleanNode.TRUE);
            }
        }
        if (kept != 1) {
            throw new IllegalStateException("the envelope schema has " + kept + " branches for type " + type.wireName());
        }
        try {
            return MAPPER.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The catalog (schemas are loaded and compiled once). */
    public static SchemaCatalog get() {
        return INSTANCE;
    }

    /** The schema file of a message type's payload. */
    public static String fileOf(MessageType type) {
        return type.wireName() + ".schema.json";
    }

    /** The compiled envelope schema, which selects the payload schema by {@code type}. */
    public JsonSchema envelope() {
        return envelope;
    }

    /**
     * The schema to check this message against: when its {@code type} is a known type, the
     * envelope with that type's branch only (compiled at its first use; the same findings as
     * {@link #envelope()}, without evaluating the other eleven types' conditions); else the whole
     * envelope.
     */
    public JsonSchema envelopeFor(JsonNode message) {
        JsonNode type = message == null ? null : message.get("type");
        if (type == null || !type.isTextual()) {
            return envelope;
        }
        Optional<MessageType> known = MessageType.fromWireName(type.textValue());
        return known.isEmpty() ? envelope : byType.computeIfAbsent(known.get(), this::compile);
    }

    /** A schema document by file name, as bundled. */
    public JsonNode document(String file) {
        JsonNode doc = documents.get(file);
        if (doc == null) {
            throw new IllegalArgumentException("no bundled schema " + file);
        }
        return doc;
    }

    /** The payload schema document of a type. */
    public JsonNode payloadDocument(MessageType type) {
        return document(fileOf(type));
    }

    /** The file names of all bundled schemas. */
    public List<String> files() {
        return List.copyOf(documents.keySet());
    }

    /**
     * The error code declared by the subschema that holds a failed keyword, or by the nearest
     * subschema enclosing it in the same document: {@code location} is the
     * keyword's absolute location, e.g. {@code .../freeze.request.schema.json#/allOf/0/then/required}.
     */
    public Optional<ErrorCode> declaredCode(SchemaLocation location) {
        if (location == null || location.getAbsoluteIri() == null) {
            return Optional.empty();
        }
        String iri = location.getAbsoluteIri().toString();
        if (!iri.startsWith(BASE_IRI)) {
            return Optional.empty();
        }
        JsonNode doc = documents.get(iri.substring(BASE_IRI.length()));
        if (doc == null || location.getFragment() == null) {
            return Optional.empty();
        }
        // The nearest enclosing subschema that declares a code wins, so a code covers its subtree.
        var fragment = location.getFragment();
        List<JsonNode> chain = new ArrayList<>();
        JsonNode node = doc;
        chain.add(node);
        for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
            if (node != null) {
                chain.add(node);
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            JsonNode code = chain.get(i).get(ERROR_CODE_KEYWORD);
            if (code != null && code.isTextual()) {
                return Optional.of(ErrorCode.valueOf(code.asText()));
            }
        }
        return Optional.empty();
    }

    /**
     * The schema node at a location's first {@code segments} fragment segments, e.g. the anyOf
     * holding a failed branch.
     */
    public Optional<JsonNode> node(SchemaLocation location, int segments) {
        if (location == null || location.getAbsoluteIri() == null || location.getFragment() == null) {
            return Optional.empty();
        }
        String iri = location.getAbsoluteIri().toString();
        JsonNode node = iri.startsWith(BASE_IRI) ? documents.get(iri.substring(BASE_IRI.length())) : null;
        var fragment = location.getFragment();
        for (int i = 0; i < segments && i < fragment.getNameCount() && node != null; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
        }
        return Optional.ofNullable(node);
    }

    private static JsonNode load(String file) {
        String resource = CLASSPATH_DIR + file;
        try (InputStream in = SchemaCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled schema " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled schema " + resource, e);
        }
    }
}
