package vn.lienthong.connectors.police;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;
import vn.lienthong.schemas.ValidatorSettings;

/** Shared fixtures of the police connector tests: the fixed-clock validator, resources, trees. */
final class PoliceTestSupport {

    /** The instant the bundled examples were written for. */
    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-20T12:00:00+07:00");

    static final MessageValidator VALIDATOR = new MessageValidator(
            ValidatorSettings.defaults().withClock(Clock.fixed(NOW.toInstant(), ZoneOffset.UTC)));

    /** The six canonical types the profile carries. */
    static final List<String> TYPES = List.of("violation.notice", "case.transfer", "freeze.request",
            "freeze.report", "info.request", "info.response");

    static final String FORMAT_DIR = "formats/police-case-json/";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final JsonSchema POLICE_SCHEMA = loadPoliceSchema();

    private PoliceTestSupport() {
    }

    static final PoliceCaseJsonConnector CONNECTOR = new PoliceCaseJsonConnector();

    /** Resource paths (class-path relative) of the files in a class-path folder, sorted. */
    static List<String> list(String folder, String prefix) {
        URL url = PoliceTestSupport.class.getClassLoader().getResource(folder);
        assertThat(url).as("class-path folder " + folder).isNotNull();
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return names(fs.getPath(folder), folder, prefix);
            }
            return names(Path.of(uri), folder, prefix);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(Path dir, String folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(".json"))
                    .sorted()
                    .map(n -> (folder.endsWith("/") ? folder : folder + "/") + n)
                    .toList();
        }
    }

    static byte[] bytes(String resource) {
        try (InputStream in = PoliceTestSupport.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical valid examples of the six types. */
    static List<String> canonicalExamples() {
        List<String> all = new ArrayList<>();
        for (String type : TYPES) {
            all.addAll(list("lienthong/examples/v1/" + type + "/", "valid-"));
        }
        return all;
    }

    /** The police golden files. */
    static List<String> policeExamples() {
        return list(FORMAT_DIR + "examples/", "");
    }

    /** Decodes, expecting exactly one item. */
    static Decoded decodeOne(byte[] input) throws DecodeException, IOException {
        List<Decoded> items = new ArrayList<>();
        CONNECTOR.decode(new ByteArrayInputStream(input), "test", items::add);
        assertThat(items).as("one police message, one item").hasSize(1);
        return items.get(0);
    }

    /** Decodes, expecting a canonical item with location "". */
    static byte[] decodeCanonical(byte[] input) throws DecodeException, IOException {
        Decoded item = decodeOne(input);
        assertThat(item).as("decoded item").isInstanceOf(Decoded.Canonical.class);
        assertThat(item.location()).isEmpty();
        return ((Decoded.Canonical) item).json();
    }

    /** Validates, expecting a valid message. */
    static ValidationResult.Valid valid(byte[] canonical, String what) {
        ValidationResult result = VALIDATOR.validate(canonical);
        assertThat(result.errors()).as("validation errors of " + what).isEmpty();
        return (ValidationResult.Valid) result;
    }

    /** The findings of the profile's JSON Schema on a police message (empty: conforms). */
    static Set<ValidationMessage> policeSchemaFindings(JsonNode police) {
        return POLICE_SCHEMA.validate(police);
    }

    private static JsonSchema loadPoliceSchema() {
        JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new AnnotationKeyword("x-canonical"))
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.metaSchema(metaSchema));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .failFast(false)
                .build();
        return factory.getSchema(tree(bytes(FORMAT_DIR + "police-case.schema.json")), config);
    }

    /** The profile's JSON Schema as a tree. */
    static JsonNode policeSchemaDocument() {
        return tree(bytes(FORMAT_DIR + "police-case.schema.json"));
    }

    static ByteArrayInputStream stream(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
