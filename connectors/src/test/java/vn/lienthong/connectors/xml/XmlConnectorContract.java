package vn.lienthong.connectors.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * What every XML profile connector must do: golden files round-trip, canonical examples round-trip,
 * the bundled XSD and README match the mapping tables, and hostile input is refused with a clear,
 * located error that never repeats a personal identifier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class XmlConnectorContract {

    /** Set to true to rewrite the bundled XSD and the README's generated tables from the mapping. */
    private static final boolean REGENERATE = Boolean.getBoolean("lienthong.regenerate");

    private final MessageValidator validator = XmlTestSupport.validator();

    /** The connector under test. */
    protected abstract XmlConnector connector();

    /** The classpath folder of the format: {@code formats/<format>}. */
    protected final String formatFolder() {
        return "formats/" + connector().format();
    }

    /** The canonical types this format carries. */
    protected abstract List<String> canonicalTypes();

    /** The golden file the hostile variations start from. */
    protected abstract String sampleExample();

    /** A root element of the other XML profile (must be refused here). */
    protected abstract String foreignRoot();

    /** Invalid variations of the sample, each with where and what the error must name. */
    protected abstract List<Mutation> mutations();

    /**
     * An edit of the sample and the error it must produce.
     *
     * @param name what is wrong
     * @param edit the edit of the sample's text
     * @param xpath the XPath the error must name
     * @param fragment words the message must contain
     * @param secret a value that must not appear in the error, or null
     */
    public record Mutation(String name, UnaryOperator<String> edit, String xpath, String fragment, String secret) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Replaces exactly one occurrence, so that a mutation cannot silently miss. */
    protected static UnaryOperator<String> replaceOnce(String from, String to) {
        return text -> {
            int at = text.indexOf(from);
            if (at < 0 || text.indexOf(from, at + 1) >= 0) {
                throw new IllegalStateException("the sample must hold exactly one " + from);
            }
            return text.substring(0, at) + to + text.substring(at + from.length());
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Golden files and canonical examples

    Stream<Path> goldenFiles() {
        List<Path> files = XmlTestSupport.classpathFiles(formatFolder() + "/examples", ".xml");
        assertThat(files).as("golden files").isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void goldenFileDecodesToAValidMessageAndEncodesBackToTheSameXml(Path file) throws Exception {
        byte[] original = Files.readAllBytes(file);
        byte[] json = XmlTestSupport.decodeOne(connector(), original);

        ValidationResult result = validator.validate(json);
        assertThat(result.errors()).as("canonical validation of " + file.getFileName()).isEmpty();

        JsonNode decoded = CanonicalJson.mapper().readTree(json);
        Envelope typed = ((ValidationResult.Valid) result).message();
        byte[] encoded = connector().encode(typed, json);
        Document expected = XmlTestSupport.comparableDom(original);
        Document actual = XmlTestSupport.comparableDom(encoded);
        if (!expected.isEqualNode(actual)) {
            fail("XML -> canonical -> XML differs for " + file.getFileName() + ":\n"
                    + new String(encoded, StandardCharsets.UTF_8));
        }
        // And the encoder's own output is accepted by the XSD and decodes to the same canonical JSON.
        assertThat(CanonicalJson.mapper().readTree(XmlTestSupport.decodeOne(connector(), encoded))).isEqualTo(decoded);
    }

    Stream<Arguments> canonicalExamples() {
        return canonicalTypes().stream().flatMap(type -> XmlTestSupport
                .classpathFiles("lienthong/examples/v1/" + type, ".json").stream()
                .filter(p -> p.getFileName().toString().startsWith("valid-"))
                .map(p -> Arguments.of(type + "/" + p.getFileName(), p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canonicalExamples")
    void canonicalExampleEncodesAndDecodesToTheSameNormalizedMessage(String name, Path file) throws Exception {
        ValidationResult first = validator.validate(Files.readAllBytes(file));
        assertThat(first.errors()).as(name).isEmpty();
        ValidationResult.Valid valid = (ValidationResult.Valid) first;
        byte[] journal = CanonicalJson.mapper().writeValueAsBytes(valid.normalized());

        byte[] xml = connector().encode(valid.message(), journal);
        byte[] back = XmlTestSupport.decodeOne(connector(), xml);

        ValidationResult second = validator.validate(back);
        assertThat(second.errors()).as(name + " after XML").isEmpty();
        assertThat(((ValidationResult.Valid) second).normalized()).isEqualTo(valid.normalized());
    }

    @Test
    void everyCanonicalTypeHasAGoldenFile() throws Exception {
        List<String> types = goldenFiles().map(f -> {
            try {
                return CanonicalJson.mapper().readTree(XmlTestSupport.decodeOne(connector(), Files.readAllBytes(f)))
                        .path("type").asText();
            } catch (IOException | DecodeException e) {
                throw new AssertionError(f + ": " + e.getMessage(), e);
            }
        }).distinct().toList();
        assertThat(types).containsExactlyInAnyOrderElementsOf(canonicalTypes());
    }

    // ---------------------------------------------------------------------------------------------
    // The published artifacts follow the tables

    @Test
    void bundledXsdIsTheOneTheTablesDefine() throws IOException {
        String generated = connector().profile().generatedXsd();
        if (REGENERATE) {
            Files.writeString(Path.of("src/main/resources", formatFolder(), connector().format() + ".xsd"), generated);
        }
        assertThat(connector().profile().bundledXsd())
                .as("the bundled XSD is out of date: run the tests with -Dlienthong.regenerate=true")
                .isEqualTo(generated);
    }

    @Test
    void readmeHoldsTheCurrentMappingTables() throws IOException {
        String tables = new MappingTables(connector().profile()).write();
        String readme = new String(XmlTestSupport.resource(formatFolder() + "/README.md"), StandardCharsets.UTF_8);
        if (REGENERATE) {
            int begin = readme.indexOf(MappingTables.BEGIN);
            int end = readme.indexOf(MappingTables.END);
            String updated = readme.substring(0, begin) + tables + readme.substring(end + MappingTables.END.length() + 1);
            Files.writeString(Path.of("src/main/resources", formatFolder(), "README.md"), updated);
            readme = updated;
        }
        assertThat(readme).as("README tables out of date: run the tests with -Dlienthong.regenerate=true")
                .contains(tables);
    }

    @Test
    void aStateSecretLevelIsDecodedSoThatTheGatewayRefusesItByName() throws Exception {
        String secret = sample().replaceFirst("<PhanLoai>[A-Za-z]+</PhanLoai>", "<PhanLoai>ToiMat</PhanLoai>");
        ValidationResult result = validator.validate(XmlTestSupport.decodeOne(connector(),
                secret.getBytes(StandardCharsets.UTF_8)));
        assertThat(result.errors()).extracting(e -> e.code().name() + " " + e.pointer())
                .containsExactly("STATE_SECRET_NOT_ALLOWED /classification");
    }

    @Test
    void theServiceLoaderFindsTheConnector() {
        assertThat(Connectors.discover().forFormat(connector().format()))
                .hasValueSatisfying(c -> assertThat(c).isInstanceOf(connector().getClass()));
        assertThat(connector().mediaType()).isEqualTo("application/xml");
        assertThat(connector().extension()).isEqualTo(".xml");
    }

    @Test
    void theNamespaceCanBeConfigured() throws Exception {
        String other = "urn:example:agency:" + connector().format();
        XmlConnector custom = connector().getClass().getConstructor(String.class).newInstance(other);
        String sample = sample();
        byte[] moved = sample.replace("xmlns=\"" + connector().profile().namespace() + "\"", "xmlns=\"" + other + "\"")
                .getBytes(StandardCharsets.UTF_8);

        byte[] json = XmlTestSupport.decodeOne(custom, moved);
        assertThat(json).isEqualTo(XmlTestSupport.decodeOne(connector(), sample.getBytes(StandardCharsets.UTF_8)));
        ValidationResult.Valid valid = (ValidationResult.Valid) validator.validate(json);
        assertThat(new String(custom.encode(valid.message(), json), StandardCharsets.UTF_8)).contains("xmlns=\"" + other + "\"");
        assertThatThrownBy(() -> XmlTestSupport.decodeOne(custom, sample.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(XmlDecodeException.class).hasMessageContaining(other);
    }

    // ---------------------------------------------------------------------------------------------
    // Hostile and wrong input

    /** The sample golden file's text. */
    protected final String sample() {
        return new String(XmlTestSupport.resource(formatFolder() + "/examples/" + sampleExample()), StandardCharsets.UTF_8);
    }

    private String root() {
        String s = sample();
        int start = s.indexOf('<', s.indexOf("?>") + 2) + 1;
        return s.substring(start, s.indexOf(' ', start));
    }

    private String namespace() {
        return connector().profile().namespace();
    }

    private XmlDecodeException refused(byte[] input) {
        try {
            XmlTestSupport.decodeOne(connector(), input);
        } catch (XmlDecodeException e) {
            return e;
        } catch (DecodeException e) {
            throw new AssertionError("an XML connector reports XmlDecodeException", e);
        }
        throw new AssertionError("the input was accepted");
    }

    private XmlDecodeException refused(String input) {
        return refused(input.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anExternalEntityIsRefusedAndTheFileNeverDisclosed(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "LIENTHONG-SECRET-MARKER");
        for (String target : List.of(secret.toUri().toString(), "file:///etc/passwd")) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE " + root() + " [\n  <!ENTITY xxe SYSTEM \""
                    + target + "\">\n]>\n" + sample().substring(sample().indexOf("?>") + 3)
                            .replaceFirst("<MaThongDiep>[^<]*</MaThongDiep>", "<MaThongDiep>&xxe;</MaThongDiep>");
            XmlDecodeException e = refused(xml);
            assertThat(e.getMessage()).contains("DOCTYPE").doesNotContain("LIENTHONG-SECRET-MARKER").doesNotContain("root:");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.location()).contains("line 2");
        }
    }

    @Test
    void noExternalDtdOrSchemaIsEverFetched() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            AtomicInteger connections = new AtomicInteger();
            Thread listener = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // keep listening until closed
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            listener.start();
            String base = "http://127.0.0.1:" + server.getLocalPort();
            String body = sample().substring(sample().indexOf("?>") + 3);
            // An external DTD, and a parameter entity pulling one in.
            refused("<!DOCTYPE " + root() + " SYSTEM \"" + base + "/evil.dtd\">\n" + body);
            refused("<!DOCTYPE " + root() + " [<!ENTITY % p SYSTEM \"" + base + "/p.dtd\"> %p;]>\n" + body);
            // A schema hint is tolerated but never followed: the bundled XSD alone decides.
            String hinted = body.replaceFirst("xmlns=\"" + namespace() + "\"", "xmlns=\"" + namespace()
                    + "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"" + namespace()
                    + " " + base + "/evil.xsd\"");
            XmlTestSupport.decodeOne(connector(), hinted.getBytes(StandardCharsets.UTF_8));
            Thread.sleep(400);
            server.close();
            listener.join(2000);
            assertThat(connections.get()).as("connections to the hostile server").isZero();
        }
    }

    @Test
    void billionLaughsIsRefusedAtOnce() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE " + root() + " [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            dtd.append(" <!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                dtd.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
            }
            dtd.append("\">\n");
        }
        dtd.append("]>\n<").append(root()).append(" xmlns=\"").append(namespace()).append("\">&lol9;</")
                .append(root()).append(">");
        XmlDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(dtd.toString()));
        assertThat(e.getMessage()).contains("DOCTYPE");
    }

    @Test
    void tenThousandLevelsOfNestingAreRefused() {
        StringBuilder xml = new StringBuilder("<" + root() + " xmlns=\"" + namespace() + "\">");
        xml.append("<ThongTinChung>".repeat(10_000)).append("</ThongTinChung>".repeat(10_000));
        xml.append("</").append(root()).append('>');
        XmlDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(xml.toString()));
        assertThat(e.getMessage()).contains("nested deeper than " + HardenedXml.MAX_DEPTH);
        assertThat(e.xpath()).startsWith("/" + root() + "/ThongTinChung/").endsWith("/ThongTinChung");
        assertThat(e.line()).isEqualTo(1);
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirPosition() {
        // The Vietnamese Windows code page: what a legacy system might send while declaring UTF-8.
        byte[] cp1258 = sample().getBytes(Charset.forName("windows-1258"));
        XmlDecodeException e = refused(cp1258);
        assertThat(e.getMessage()).contains("not UTF-8").contains("offset");
        assertThat(e.line()).isGreaterThan(1);
        assertThat(e.location()).startsWith("line ");

        XmlDecodeException utf16 = refused(sample().replace("UTF-8", "UTF-16").getBytes(StandardCharsets.UTF_16));
        assertThat(utf16.getMessage()).contains("not UTF-8").contains("UTF-16");

        XmlDecodeException declared = refused(sample().replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""));
        assertThat(declared.getMessage()).contains("ISO-8859-1").contains("UTF-8 only");
    }

    @Test
    void aWrongRootOrNamespaceIsRefused() {
        String body = sample();
        XmlDecodeException foreign = refused("<?xml version=\"1.0\"?><" + foreignRoot() + " xmlns=\"" + namespace() + "\"/>");
        assertThat(foreign.xpath()).isEqualTo("/" + foreignRoot());
        assertThat(foreign.getMessage()).contains("not a " + connector().format() + " message").contains(root());

        XmlDecodeException noNamespace = refused(body.replace(" xmlns=\"" + namespace() + "\"", ""));
        assertThat(noNamespace.xpath()).isEqualTo("/" + root());
        assertThat(noNamespace.getMessage()).contains("no namespace").contains(namespace());
    }

    @Test
    void malformedEmptyAndOversizedInputsAreRefused() {
        String body = sample();
        XmlDecodeException broken = refused(body.substring(0, body.length() - 20));
        assertThat(broken.getMessage()).contains("not well-formed");
        assertThat(broken.line()).isPositive();

        assertThat(refused(new byte[0]).getMessage()).contains("empty");

        byte[] big = new byte[XmlProfileParser.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(refused(big).getMessage()).contains("larger than");

        XmlDecodeException attribute = refused(body.replaceFirst("<ThongTinChung>", "<ThongTinChung id=\"x\">"));
        assertThat(attribute.xpath()).isEqualTo("/" + root() + "/ThongTinChung");
        assertThat(attribute.getMessage()).contains("attribute 'id'");
    }

    Stream<Mutation> mutationCases() {
        return mutations().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutationCases")
    void anInvalidDocumentIsRefusedNamingTheElement(Mutation mutation) {
        XmlDecodeException e = refused(mutation.edit().apply(sample()));
        if (Boolean.getBoolean("lienthong.showErrors")) {
            System.out.println(mutation + " -> " + e.location() + ": " + e.getMessage());
        }
        assertThat(e.xpath()).as(e.location() + ": " + e.getMessage()).isEqualTo(mutation.xpath());
        assertThat(e.line()).isPositive();
        assertThat(e.column()).isPositive();
        assertThat(e.getMessage()).contains("XSD").contains(mutation.fragment());
        if (mutation.secret() != null) {
            assertThat(e.getMessage()).doesNotContain(mutation.secret());
            assertThat(e.location()).doesNotContain(mutation.secret());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Encoding

    @Test
    void textRoundTripsExactlyAndWhatXmlCannotCarryIsRefused() throws Exception {
        byte[] json = XmlTestSupport.decodeOne(connector(), sample().getBytes(StandardCharsets.UTF_8));
        ObjectNode tree = (ObjectNode) CanonicalJson.mapper().readTree(json);
        String tricky = "Dòng 1\r\nDòng 2 & <b>\"trích\"</b> ]]> \t tab  hai  dấu cách 😀 ";
        tree.put("legalBasis", tricky);
        byte[] xml = connector().encode(null, CanonicalJson.mapper().writeValueAsBytes(tree));
        JsonNode back = CanonicalJson.mapper().readTree(XmlTestSupport.decodeOne(connector(), xml));
        assertThat(back.path("legalBasis").asText()).isEqualTo(tricky);
        assertThat(back).isEqualTo(tree);

        tree.put("legalBasis", "bell \u0007 here");
        byte[] bad = CanonicalJson.mapper().writeValueAsBytes(tree);
        assertThatThrownBy(() -> connector().encode(null, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/legalBasis").hasMessageContaining("U+0007");
    }

    @Test
    void encodingRefusesOtherTypesAndMembersWithoutAPlace() throws Exception {
        byte[] json = XmlTestSupport.decodeOne(connector(), sample().getBytes(StandardCharsets.UTF_8));
        ObjectNode tree = (ObjectNode) CanonicalJson.mapper().readTree(json);

        ObjectNode extra = tree.deepCopy();
        ((ObjectNode) extra.get("payload")).put("x-note", "not in schema v1.0");
        assertThatThrownBy(() -> connector().encode(null, CanonicalJson.mapper().writeValueAsBytes(extra)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/payload/x-note");

        ObjectNode receipt = tree.deepCopy().put("type", "receipt");
        assertThatThrownBy(() -> connector().encode(null, CanonicalJson.mapper().writeValueAsBytes(receipt)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not receipt");
    }
}
