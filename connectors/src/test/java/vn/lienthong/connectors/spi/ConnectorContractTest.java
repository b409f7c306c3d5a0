package vn.lienthong.connectors.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.ValidatorSettings;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * The contract every connector declared in {@code META-INF/services} passes, whatever its format:
 * its bundled examples survive decode, validate, encode, decode unchanged; hostile input (invalid
 * UTF-8, a byte-order mark, more than any size cap, nothing, a document cut short) is refused with
 * the place named, never with another exception type; and a validation error of a decoded item
 * gets a native location. A new connector is held to it by being declared.
 *
 * <p>"Refused" means what the gateway does with an input: the connector's {@link DecodeException}
 * (or a {@link Decoded.Failure} item), or, for a connector that passes the sender's exact bytes on
 * as canonical JSON (canonical-json; tax-csv's JSON inputs), the validator's refusal of them.
 */
class ConnectorContractTest {

    /** The instant the bundled examples were written for (12:00 in Việt Nam, 20 November 2026). */
    private static final Instant NOW = Instant.parse("2026-11-20T05:00:00Z");

    private static final MessageValidator VALIDATOR =
            new MessageValidator(ValidatorSettings.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));

    /** Larger than every connector's cap (edXML's 16 MiB is the largest). */
    private static final int OVERSIZED = 17 * 1024 * 1024;

    /** Examples of what the gateway writes to an agency, which the connector does not read back. */
    private static final Set<String> OUTBOUND_ONLY = Set.of("formats/tax-csv/info.request-example.csv");

    @TestFactory
    Stream<DynamicNode> everyDeclaredConnectorKeepsTheContract() {
        List<Connector> connectors = ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(connectors).extracting(Connector::format).contains("canonical-json", "police-case-json", "tax-csv",
                "customs-xml", "sbv-freeze-xml", "edxml");
        return connectors.stream().map(c -> DynamicContainer.dynamicContainer(c.format(), Stream.of(
                DynamicTest.dynamicTest("bundled examples round trip", () -> roundTrip(c)),
                DynamicTest.dynamicTest("invalid UTF-8 is refused naming its byte", () -> invalidUtf8(c)),
                DynamicTest.dynamicTest("a byte-order mark changes nothing", () -> byteOrderMark(c)),
                DynamicTest.dynamicTest("more than the size cap is refused", () -> oversized(c)),
                DynamicTest.dynamicTest("an empty input is refused", () -> empty(c)),
                DynamicTest.dynamicTest("an input cut short is refused naming where", () -> truncated(c)),
                DynamicTest.dynamicTest("a validation error gets a native location", () -> nativeLocation(c)))));
    }

    // ------------------------------------------------------------------ the clauses

    private static void roundTrip(Connector c) throws Exception {
        int valid = 0;
        for (String example : examples(c)) {
            for (Decoded item : decode(c, resource(example))) {
                if (!(item instanceof Decoded.Canonical canonical)
                        || !(VALIDATOR.validate(canonical.json()) instanceof ValidationResult.Valid before)) {
                    continue; // examples may show refused items too (tax-csv's result example does)
                }
                valid++;
                byte[] encoded = c.encode(before.message(), CanonicalJson.mapper().writeValueAsBytes(before.normalized()));
                List<Decoded> again = decode(c, encoded);
                assertThat(again).as("%s: the encoded message decodes to one item", example).hasSize(1);
                assertThat(again.get(0)).as("%s: decoded again", example).isInstanceOf(Decoded.Canonical.class);
                ValidationResult after = VALIDATOR.validate(((Decoded.Canonical) again.get(0)).json());
                assertThat(after).as("%s: valid again", example).isInstanceOf(ValidationResult.Valid.class);
                assertThat(((ValidationResult.Valid) after).normalized()).as("%s: the same message", example)
                        .isEqualTo(before.normalized());
            }
        }
        assertThat(valid).as("%s has bundled examples that decode to valid messages", c.format()).isPositive();
    }

    private static void invalidUtf8(Connector c) throws Exception {
        byte[] bytes = examples(c).stream().map(ConnectorContractTest::resource).filter(b -> firstNonAscii(b) >= 0)
                .findFirst().orElseThrow(() -> new AssertionError(c.format() + ": no example with a byte outside ASCII"));
        int at = firstNonAscii(bytes);
        bytes[at] = (byte) 0xFF; // never a byte of UTF-8
        int line = 1;
        for (int i = 0; i < at; i++) {
            line += bytes[i] == '\n' ? 1 : 0;
        }
        String refusal = refusal(c, bytes);
        if (!refusal.contains("offset " + at)) {
            assertThat(refusal).as("names the byte offset %d, or line %d and column", at, line)
                    .contains("line " + line).contains("column");
        }
        assertThat(refusal).containsIgnoringCase("UTF-8");
    }

    private static void byteOrderMark(Connector c) throws Exception {
        byte[] example = resource(examples(c).get(0));
        byte[] withBom = new byte[example.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(example, 0, withBom, 3, example.length);
        assertThat(outcomes(decode(c, withBom))).isEqualTo(outcomes(decode(c, example)));
    }

    private static void oversized(Connector c) throws Exception {
        byte[] example = resource(examples(c).get(0));
        byte[] big = Arrays.copyOf(example, OVERSIZED);
        Arrays.fill(big, example.length, big.length, (byte) ' ');
        String refusal = refusal(c, big);
        assertThat(refusal).as("names the limit or the line").containsAnyOf("larger than", "more than", "longer than", "line ");
    }

    private static void empty(Connector c) {
        assertThat(refusal(c, new byte[0])).contains("empty");
    }

    private static void truncated(Connector c) throws Exception {
        byte[] example = resource(examples(c).get(0));
        String refusal = refusal(c, Arrays.copyOf(example, example.length / 2));
        assertThat(refusal).as("names where").containsAnyOf("line ", "offset ");
    }

    /**
     * A decoded item made invalid (its creation time far in the future) gets its error's native
     * location: never blank, and a place of the native input, not the canonical pointer, whenever
     * the item is not the input's own bytes.
     */
    private static void nativeLocation(Connector c) throws Exception {
        for (String example : examples(c)) {
            byte[] input = resource(example);
            for (Decoded item : decode(c, input)) {
                if (!(item instanceof Decoded.Canonical canonical)
                        || !(VALIDATOR.validate(canonical.json()) instanceof ValidationResult.Valid)) {
                    continue;
                }
                ObjectNode tree = (ObjectNode) CanonicalJson.mapper().readTree(canonical.json());
                tree.put("createdAt", "2099-01-01T00:00:00+07:00");
                Decoded.Canonical changed = new Decoded.Canonical(CanonicalJson.mapper().writeValueAsBytes(tree),
                        canonical.location(), canonical.places(), canonical.signature());
                ValidationResult result = VALIDATOR.validate(changed.json());
                assertThat(result).isInstanceOf(ValidationResult.Invalid.class);
                ValidationError error = ((ValidationResult.Invalid) result).errors().get(0);
                assertThat(error.code()).isEqualTo(ErrorCode.DATE_IN_FUTURE);
                String location = c.nativeLocation(changed, error.pointer());
                assertThat(location).as("%s: the native location of %s", example, error.pointer()).isNotBlank();
                if (!Arrays.equals(canonical.json(), input)) {
                    assertThat(location).as("%s: a native place, not the canonical pointer", example)
                            .isNotEqualTo(error.pointer());
                }
                return;
            }
        }
        fail(c.format() + " has no example that decodes to a valid message");
    }

    // ------------------------------------------------------------------ helpers

    /** Decodes the bytes; anything but a {@link DecodeException} fails the contract. */
    private static List<Decoded> decode(Connector c, byte[] bytes) throws DecodeException {
        List<Decoded> items = new ArrayList<>();
        try {
            c.decode(new ByteArrayInputStream(bytes), "contract-test", items::add);
        } catch (DecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError(c.format() + " threw " + e + " instead of a DecodeException", e);
        }
        return items;
    }

    /**
     * How the gateway refuses the input, in words: the connector's exception or failed item, else
     * the validator's errors of an item passed on as is. Fails when the input is accepted.
     */
    private static String refusal(Connector c, byte[] bytes) {
        List<Decoded> items;
        try {
            items = decode(c, bytes);
        } catch (DecodeException e) {
            assertThat(e.location()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return (e.location() + " " + e.getMessage()).trim();
        }
        for (Decoded item : items) {
            if (item instanceof Decoded.Failure f) {
                return (f.location() + " " + f.message()).trim();
            }
            if (VALIDATOR.validate(((Decoded.Canonical) item).json()) instanceof ValidationResult.Invalid invalid) {
                return invalid.errors().stream().map(e -> e.pointer() + " " + e.message())
                        .reduce((a, b) -> a + "; " + b).orElseThrow().trim();
            }
        }
        throw new AssertionError(c.format() + " accepted an input it should refuse");
    }

    /** Each item's outcome: the normalized message, or the failure. */
    private static List<Object> outcomes(List<Decoded> items) {
        List<Object> out = new ArrayList<>();
        for (Decoded item : items) {
            if (item instanceof Decoded.Canonical canonical) {
                ValidationResult r = VALIDATOR.validate(canonical.json());
                out.add(r instanceof ValidationResult.Valid v ? v.normalized() : ((ValidationResult.Invalid) r).errors());
            } else {
                out.add(item);
            }
        }
        return out;
    }

    private static int firstNonAscii(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The bundled examples a connector reads: the canonical examples for canonical-json, else the
     * files of {@code formats/<format>/examples/} (any depth) and {@code formats/<format>/*-example.*}
     * with the format's extension.
     */
    private static List<String> examples(Connector c) {
        List<String> found = new ArrayList<>();
        if (c.format().equals("canonical-json")) {
            for (MessageType type : MessageType.values()) {
                String dir = "lienthong/examples/v1/" + type.wireName() + "/";
                for (Path p : files(dir)) {
                    if (p.getFileName().toString().startsWith("valid-")) {
                        found.add(dir + p.getFileName());
                    }
                }
            }
        } else {
            String base = "formats/" + c.format() + "/";
            Path root = directory(base);
            for (Path p : files(base)) {
                String name = p.getFileName().toString();
                String relative = root.relativize(p).toString().replace('\\', '/');
                boolean example = relative.startsWith("examples/") || name.contains("-example.");
                if (example && name.endsWith(c.extension()) && !name.contains(".result.")
                        && !OUTBOUND_ONLY.contains(base + relative)) {
                    found.add(base + relative);
                }
            }
        }
        found.sort(null);
        assertThat(found).as("%s bundles examples", c.format()).isNotEmpty();
        return found;
    }

    private static Path directory(String folder) {
        URL url = ConnectorContractTest.class.getClassLoader().getResource(folder);
        assertThat(url).as("on the classpath: %s", folder).isNotNull();
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                // In a full reactor build the schemas' examples come from its packaged jar.
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException opened) {
                    // opened by an earlier call
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> files(String folder) {
        try (Stream<Path> walk = Files.walk(directory(folder))) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (var in = ConnectorContractTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("on the classpath: %s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
