package vn.lienthong.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
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

    private SchemaCatalog() {
        documents.put("envelope.schema.json", load("envelope.schema.json"));
        documents.put("common.schema.json", load("common.schema.json"));
        for (MessageType type : MessageType.values()) {
            String file = fileOf(type);
            documents.put(file, load(file));
        }
        JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new AnnotationKeyword(ERROR_CODE_KEYWORD))
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b
                .metaSchema(metaSchema)
                .schemaMappers(m -> m.mapPrefix(BASE_IRI, "classpath:" + CLASSPATH_DIR)));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .failFast(false)
                .build();
        envelope = factory.getSchema(SchemaLocation.of(BASE_IRI + "envelope.schema.json"), config);
        envelope.initializeValidators();
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
