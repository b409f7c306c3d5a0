package vn.lienthong.connectors.police;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.connectors.police.PoliceTestSupport.CONNECTOR;
import static vn.lienthong.connectors.police.PoliceTestSupport.bytes;
import static vn.lienthong.connectors.police.PoliceTestSupport.decodeCanonical;
import static vn.lienthong.connectors.police.PoliceTestSupport.policeSchemaFindings;
import static vn.lienthong.connectors.police.PoliceTestSupport.tree;
import static vn.lienthong.connectors.police.PoliceTestSupport.valid;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.ValidationResult;

/** Golden-file round trips in both directions, and the profile's JSON Schema on real messages. */
class PoliceCaseJsonRoundTripTest {

    static List<String> policeExamples() {
        return PoliceTestSupport.policeExamples();
    }

    static List<String> canonicalExamples() {
        return PoliceTestSupport.canonicalExamples();
    }

    @Test
    void theGoldenFilesCoverEveryType() {
        Set<String> kinds = new TreeSet<>();
        for (String file : policeExamples()) {
            kinds.add(tree(bytes(file)).path("thong_tin_chung").path("loai_thong_diep").asText());
        }
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(PoliceProfile.MESSAGE_KIND.canonicalToPolice().values());
        assertThat(canonicalExamples()).hasSizeGreaterThanOrEqualTo(PoliceTestSupport.TYPES.size());
    }

    /** police → canonical → police gives the original back, before and after the gateway's validation. */
    @ParameterizedTest
    @MethodSource("policeExamples")
    void policeToCanonicalToPolice(String file) throws Exception {
        byte[] police = bytes(file);
        byte[] canonical = decodeCanonical(police);
        ValidationResult.Valid valid = valid(canonical, file);

        // As decoded (what the journal would keep if the validator changed nothing).
        assertThat(tree(CONNECTOR.encode(valid.message(), canonical))).as(file).isEqualTo(tree(police));
        // As the dispatcher encodes it: from the journal's normalized canonical JSON. The golden
        // files are written in the gateway's normal form, so nothing changes here either.
        byte[] normalized = CanonicalJson.mapper().writeValueAsBytes(valid.normalized());
        assertThat(tree(CONNECTOR.encode(valid.message(), normalized))).as(file).isEqualTo(tree(police));
    }

    @ParameterizedTest
    @MethodSource("policeExamples")
    void goldenFilesConformToTheProfileSchema(String file) {
        assertThat(policeSchemaFindings(tree(bytes(file)))).as(file).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("policeExamples")
    void decodedGoldenFilesAreCanonicalSchemaV1(String file) throws Exception {
        JsonNode canonical = tree(decodeCanonical(bytes(file)));
        assertThat(canonical.path("schemaVersion").asText()).isEqualTo("1.0");
        assertThat(canonical.path("type").asText()).isEqualTo(file.replaceFirst(".*/", "").replaceFirst("-.*", ""));
        valid(CanonicalJson.mapper().writeValueAsBytes(canonical), file);
    }

    /** canonical → police → canonical gives the original back, compared as the validator normalizes. */
    @ParameterizedTest
    @MethodSource("canonicalExamples")
    void canonicalToPoliceToCanonical(String file) throws Exception {
        byte[] original = bytes(file);
        ValidationResult.Valid before = valid(original, file);

        byte[] police = CONNECTOR.encode(before.message(), original);
        assertThat(policeSchemaFindings(tree(police))).as("profile schema on " + file).isEmpty();
        byte[] back = decodeCanonical(police);
        ValidationResult.Valid after = valid(back, file + " after the round trip");
        assertThat(after.normalized()).as(file).isEqualTo(before.normalized());
        // The sender's exact members come back too (no validator needed to make them equal).
        assertThat(tree(back)).as(file).isEqualTo(tree(original));
    }

    /** The dispatcher's path: normalized canonical → police → canonical is exactly the normalized message. */
    @ParameterizedTest
    @MethodSource("canonicalExamples")
    void normalizedCanonicalToPoliceToCanonical(String file) throws Exception {
        ValidationResult.Valid before = valid(bytes(file), file);
        byte[] normalized = CanonicalJson.mapper().writeValueAsBytes(before.normalized());
        byte[] police = CONNECTOR.encode(before.message(), normalized);
        assertThat(policeSchemaFindings(tree(police))).as("profile schema on " + file).isEmpty();
        assertThat(tree(decodeCanonical(police))).as(file).isEqualTo(before.normalized());
    }

    @Test
    void encodingFromTheRecordAloneGivesTheSameMessage() throws Exception {
        for (String file : canonicalExamples()) {
            ValidationResult.Valid valid = valid(bytes(file), file);
            byte[] normalized = CanonicalJson.mapper().writeValueAsBytes(valid.normalized());
            assertThat(tree(CONNECTOR.encode(valid.message(), null))).as(file)
                    .isEqualTo(tree(CONNECTOR.encode(valid.message(), normalized)));
        }
    }

    /**
     * What the gateway normalizes, in a message that is not in normal form: urgency aliases, a
     * former province code, a branch tax code without its hyphen, decomposed Vietnamese text, null
     * members and a whole amount written with a fraction. The result is documented in the README.
     */
    @Test
    void normalizationIsAsDocumented() throws Exception {
        byte[] in = bytes("police/normalization-in.json");
        byte[] canonical = decodeCanonical(in);
        ValidationResult.Valid valid = valid(canonical, "normalization-in.json");
        byte[] normalized = CanonicalJson.mapper().writeValueAsBytes(valid.normalized());
        JsonNode out = tree(CONNECTOR.encode(valid.message(), normalized));
        assertThat(out).isEqualTo(tree(bytes("police/normalization-out.json")));
        assertThat(policeSchemaFindings(out)).isEmpty();
        // The expected output is itself in normal form: it comes back unchanged.
        byte[] again = decodeCanonical(bytes("police/normalization-out.json"));
        ValidationResult.Valid validAgain = valid(again, "normalization-out.json");
        assertThat(tree(CONNECTOR.encode(validAgain.message(),
                CanonicalJson.mapper().writeValueAsBytes(validAgain.normalized())))).isEqualTo(out);
    }

    @Test
    void isRegisteredAsAServiceUnderItsFormatName() {
        String services = new String(bytes("META-INF/services/vn.lienthong.connectors.spi.Connector"), StandardCharsets.UTF_8);
        assertThat(services.lines().map(String::trim)).contains(PoliceCaseJsonConnector.class.getName());
        assertThat(Connectors.of(CONNECTOR).forFormat("police-case-json")).containsSame(CONNECTOR);
        assertThat(CONNECTOR.mediaType()).isEqualTo("application/json");
        assertThat(CONNECTOR.extension()).isEqualTo(".json");
    }

    @Test
    void fileNameNamesTypeAndMessage() {
        ValidationResult.Valid valid = valid(bytes("lienthong/examples/v1/freeze.request/valid-freeze-cpc129.json"), "freeze");
        assertThat(CONNECTOR.fileName(valid.message()))
                .isEqualTo("freeze.request-6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b.json");
    }
}
