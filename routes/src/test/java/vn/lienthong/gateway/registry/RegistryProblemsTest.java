package vn.lienthong.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.lienthong.gateway.registry.Fixtures.lineOf;
import static vn.lienthong.gateway.registry.Fixtures.problems;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each broken fixture yields the problems it should, with file and line, and nothing is silently ignored. */
class RegistryProblemsTest {

    private static Problem at(String fixture, int line, String message) {
        return new Problem("registry/" + fixture, line, message);
    }

    @Test
    void unknownFormat() {
        String f = "unknown-format.yaml";
        assertThat(problems(f)).extracting(Problem::line, Problem::message).containsExactly(
                Tuple.tuple(lineOf(f, "canonical-jsn"),
                        "unknown format 'canonical-jsn' (did you mean 'canonical-json'?); listed formats: canonical-json"),
                Tuple.tuple(lineOf(f, "format: edxml"),
                        "unknown format 'edxml'; listed formats: canonical-json"));
    }

    @Test
    void signaturesRequiredOnlyWhereTheFormatsConnectorVerifiesSignatures() {
        String f = "signatures.yaml";
        // edxml may be required (its connector verifies XML-DSig); canonical JSON carries no signature.
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "format: canonical-json, delivery: pull, signatures: required"),
                        "signatures: required on a channel of format canonical-json, whose inputs carry no signature"
                                + " the gateway verifies; only edxml can be required to be signed"),
                at(f, lineOf(f, "signatures: always"), "signatures 'always' must be one of: optional, required"));
    }

    @Test
    void aReceivedTypeNoChannelCarriesIsAProblemOnItsLine() {
        String f = "carries.yaml";
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "receives: [freeze.request, info.request"), "SBV receives 'info.request' but none of "
                        + "its channels' formats carries it: add a channel whose format does (e.g. rest, canonical-json)"));
    }

    @Test
    void aRetryPolicyIsCheckedPartByPartWithItsLine() {
        String f = "retry.yaml";
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "initialDelay: 5 minutes"), "retry.initialDelay '5 minutes' is not a duration: a whole"
                        + " number and ms, s, m, h or d (e.g. 30s, 5m, 24h)"),
                at(f, lineOf(f, "multiplier: 0.5"), "retry.multiplier 0.5 must be between 1 and 10 (1: a fixed wait)"),
                at(f, lineOf(f, "giveUpAfter: 0h"), "retry.giveUpAfter must be more than 0 (deliveries would fail at"
                        + " their first error)"),
                at(f, lineOf(f, "maxAttempts: many"), "retry.maxAttempts 'many' must be a whole number (0: no limit by"
                        + " count)"),
                at(f, lineOf(f, "backoff: linear"), "unknown retry of PROV.37 key 'backoff'; expected one of: "
                        + "initialDelay, multiplier, maxDelay, giveUpAfter, maxAttempts"));
    }

    @Test
    void unknownMessageTypeNamesTheTypeAndItsLine() {
        String f = "unknown-message-type.yaml";
        List<Problem> problems = problems(f);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).line()).isEqualTo(lineOf(f, "freeze.requets"));
        assertThat(problems.get(0).message())
                .startsWith("unknown message type 'freeze.requets' in 'sends' (did you mean 'freeze.request'?)");
        assertThat(problems.get(1).line()).isEqualTo(lineOf(f, "takedown.order"));
        assertThat(problems.get(1).message()).startsWith("unknown message type 'takedown.order' in 'receives'");
    }

    @Test
    void duplicateAgencyCodeNamesBothLines() {
        String f = "duplicate-code.yaml";
        int first = lineOf(f, "code: MOF.TAX", 1);
        int second = lineOf(f, "code: MOF.TAX", 2);
        assertThat(problems(f)).containsExactly(
                at(f, second, "duplicate agency code 'MOF.TAX' on lines " + first + " and " + second));
    }

    @Test
    void channelWithoutItsAddressNamesTheMissingKey() {
        String f = "channel-missing-address.yaml";
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "kind: jms"), "jms channel is missing 'outbound' (the queue the gateway delivers on)"),
                at(f, lineOf(f, "kind: kafka"), "kafka channel is missing 'inbound' (the topic the agency sends on)"),
                at(f, lineOf(f, "kind: sftp"),
                        "sftp channel is missing 'folder' (the agency's home folder on the gateway's SFTP server)"),
                at(f, lineOf(f, "kind: rest", 1),
                        "rest channel with delivery: push is missing 'url' (where the gateway POSTs deliveries)"),
                at(f, lineOf(f, "kind: rest", 2), "rest channel is missing 'delivery' "
                        + "(pull: the agency pulls its inbox; push: the gateway POSTs to 'url')"));
    }

    @Test
    void twoAgenciesOnOneAddressNameBothAgenciesAndLines() {
        String f = "shared-address.yaml";
        int customsQueue = lineOf(f, "inbound: lienthong.MOF.CUSTOMS.in", 1);
        int sbvQueue = lineOf(f, "inbound: lienthong.MOF.CUSTOMS.in", 2);
        int customsFolder = lineOf(f, "folder: shared}");
        int sbvFolder = lineOf(f, "folder: shared/sbv");
        int customsUrl = lineOf(f, "https://customs.example.vn");
        int sbvUrl = lineOf(f, "https://CUSTOMS.example.vn");
        assertThat(problems(f)).containsExactly(
                at(f, sbvQueue, "jms queue 'lienthong.MOF.CUSTOMS.in' is used by both MOF.CUSTOMS (line "
                        + customsQueue + ") and SBV (line " + sbvQueue + ")"),
                at(f, sbvFolder, "sftp folder 'shared/sbv' of SBV lies inside folder 'shared' of MOF.CUSTOMS (line "
                        + customsFolder + "); each agency must see only its own folder"),
                // Host case and a trailing slash do not make another URL.
                at(f, sbvUrl, "url 'https://customs.example.vn/lienthong' is used by both MOF.CUSTOMS (line "
                        + customsUrl + ") and SBV (line " + sbvUrl + ")"));
    }

    @Test
    void unknownChannelKind() {
        String f = "unknown-kind.yaml";
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "kind: ftp"), "unknown channel kind 'ftp' (did you mean 'sftp'?); "
                        + "expected one of: rest, jms, kafka, sftp"),
                at(f, lineOf(f, "kind: JMS"), "unknown channel kind 'JMS' (did you mean 'jms'?); "
                        + "expected one of: rest, jms, kafka, sftp"));
    }

    @Test
    void missingCodeOrNames() {
        String f = "missing-code-and-name.yaml";
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "- name: {vi: Cục Thuế"), "agency is missing 'code' (e.g. MOF.CUSTOMS or PROV.37)"),
                at(f, lineOf(f, "- code: SBV"), "agency SBV is missing 'name' ({vi: ..., en: ...})"),
                at(f, lineOf(f, "name: {vi: Cục Hải quan}"), "name of MOF.CUSTOMS is missing 'en' (the name in English)"));
    }

    @Test
    void malformedAgencyCodes() {
        String f = "malformed-code.yaml";
        List<Problem> problems = problems(f);
        assertThat(problems).extracting(Problem::line).containsExactly(
                lineOf(f, "code: mof.customs"), lineOf(f, "code: MOF..TAX"), lineOf(f, "code: PROV.1"));
        assertThat(problems.get(0).message()).startsWith("agency code 'mof.customs' must be upper-case");
        assertThat(problems.get(1).message()).startsWith("agency code 'MOF..TAX' must be upper-case");
        assertThat(problems.get(2).message()).isEqualTo(
                "province agency code 'PROV.1' must be PROV. and the 2-digit province code, e.g. PROV.37");
    }

    @Test
    void formerProvinceIsNotAnAgency() {
        String f = "province-not-current.yaml";
        assertThat(problems(f)).containsExactly(at(f, lineOf(f, "code: PROV.35"),
                "'35' in PROV.35 is not one of the 34 current province codes (Decision 19/2025/QĐ-TTg); "
                        + "35 was Hà Nam, now PROV.37 Ninh Bình"));
    }

    @Test
    void provinceRuleUsesTheGivenList() {
        String text = Fixtures.text("province-not-current.yaml");
        assertThat(Registry.parse(text, "x", Set.of("35", "37")::contains).agencies()).hasSize(2);
        assertThatThrownBy(() -> Registry.parse(text, "x", Set.of("35")::contains))
                .isInstanceOf(RegistryException.class).hasMessageStartingWith("x:" + lineOf(
                        "province-not-current.yaml", "code: PROV.37") + ": '37' in PROV.37 is not one of");
    }

    @Test
    void typosInKeysAreNotIgnored() {
        String f = "unknown-keys.yaml";
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "version: 1"),
                        "unknown top-level key 'version'; expected one of: formats, templates, agencies"),
                at(f, lineOf(f, "code: MOIT.NCC"),
                        "agency MOIT.NCC is missing 'receives' (the message types it may receive; [] for none)"),
                at(f, lineOf(f, "recieves:"), "unknown agency key 'recieves' (did you mean 'receives'?); "
                        + "expected one of: code, name, organId, keycloakClient, sends, receives, channels, retry"),
                at(f, lineOf(f, "kind: kafka"),
                        "kafka channel is missing 'outbound' (the topic the gateway delivers on)"),
                at(f, lineOf(f, "outbund:"), "unknown kafka channel key 'outbund' (did you mean 'outbound'?); "
                        + "expected one of: kind, format, inbound, outbound, signatures"));
    }

    @Test
    void yamlSyntaxErrorCarriesTheParserLine() {
        String f = "syntax-error.yaml";
        List<Problem> problems = problems(f);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).line()).isEqualTo(lineOf(f, "   keycloakClient: sbv"));
        assertThat(problems.get(0).message()).startsWith("YAML syntax error: ");
    }

    @Test
    void noAgencySendsReceipts() {
        String f = "sends-receipt.yaml";
        assertThat(problems(f)).containsExactly(
                at(f, lineOf(f, "- receipt"), "MOIT.ECDE may not send 'receipt': receipts are issued by the gateway"),
                at(f, lineOf(f, "receives:"), "MOIT.ECDE sends messages but does not receive 'receipt': "
                        + "the gateway answers every message with one"));
    }

    @Test
    void problemsInAMergedTemplateAreReportedOnceAtTheTemplate() {
        String f = "merge-broken.yaml";
        List<Problem> problems = problems(f);
        assertThat(problems).extracting(Problem::line).containsExactly(
                lineOf(f, "report.periodc"), lineOf(f, "channel: []"), lineOf(f, "<<: not-a-mapping"));
        assertThat(problems.get(0).message()).startsWith("unknown message type 'report.periodc' in 'sends'");
        assertThat(problems.get(1).message()).startsWith("unknown agency key 'channel' (did you mean 'channels'?)");
        assertThat(problems.get(2).message())
                .isEqualTo("'<<' must merge a mapping, e.g. '<<: *province', found 'not-a-mapping'");
    }

    @Test
    void everyOtherShapeIsChecked() {
        String f = "other-problems.yaml";
        assertThat(problems(f)).extracting(Problem::line, Problem::message).containsExactly(
                tuple(f, "name: Canonical_JSON",
                        "format name 'Canonical_JSON' must be lower-case letters and digits joined by '-'"),
                tuple(f, "mediaType: json", "mediaType 'json' is not a media type such as application/xml"),
                tuple(f, "name: canonical-json", 2, "duplicate format 'canonical-json' (first on line 2)"),
                tuple(f, "organId:", "organId '000.00.00.g12' is not a QCVN 102 organ id such as 000.00.00.H30 "
                        + "(dotted upper-case letters and digits, at most 35 characters)"),
                tuple(f, "sends: [info.request, info.request]", "'info.request' is listed twice in 'sends'"),
                tuple(f, "sends: [info.response]", "duplicate key 'sends' (first on line "
                        + lineOf(f, "sends: [info.request, info.request]") + "): YAML would keep only one of them"),
                tuple(f, "delivery: pull, url", "'url' is given but delivery is pull; the gateway POSTs to it only "
                        + "with delivery: push"),
                tuple(f, "ftp://", "url 'ftp://customs.example.vn/in' must be an absolute http(s) URL"),
                tuple(f, "queue with spaces",
                        "jms queue 'queue with spaces' may only contain letters, digits, '.', '_' and '-' (at most 249)"),
                tuple(f, "same.topic", "kafka channel uses topic 'same.topic' both inbound and outbound"),
                tuple(f, "../etc", "sftp folder '../etc' must be a relative path of lower-case letters, digits, "
                        + "'.', '_' and '-'"),
                tuple(f, "sometimes", "delivery 'sometimes' must be pull or push"),
                tuple(f, "keycloakClient: shared-client", 2, "duplicate keycloakClient 'shared-client' on lines "
                        + lineOf(f, "keycloakClient: shared-client") + " and "
                        + lineOf(f, "keycloakClient: shared-client", 2) + " (MOF.CUSTOMS and MOF.TAX)"),
                tuple(f, "receives: []", "MOF.TAX sends messages but does not receive 'receipt': "
                        + "the gateway answers every message with one"),
                tuple(f, "channels: []", "MOF.TAX has no channels"));
    }

    /** (line of the first line containing needle, message), for extracting(line, message). */
    private static Tuple tuple(String f, String needle, String message) {
        return Tuple.tuple(lineOf(f, needle), message);
    }

    private static Tuple tuple(String f, String needle, int nth, String message) {
        return Tuple.tuple(lineOf(f, needle, nth), message);
    }

    @Test
    void emptyFileAndSeveralDocuments() {
        assertThatThrownBy(() -> Registry.parse("# nothing\n", "empty.yaml"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("empty.yaml: is empty: expected 'formats' and 'agencies'");
        assertThatThrownBy(() -> Registry.parse(Fixtures.text("valid-minimal.yaml") + "---\nformats: []\n", "two.yaml"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("YAML syntax error")
                .hasMessageContaining("expected a single document");
        assertThatThrownBy(() -> Registry.parse("formats: []\nagencies: []\n", "bare.yaml"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("bare.yaml:1: 'formats' lists no format\nbare.yaml:2: 'agencies' lists no agency");
    }

    @Test
    void recursiveAliasesDoNotHang() {
        String yaml = "formats: &f [*f]\nagencies: &a\n  - <<: *a\n";
        assertThatThrownBy(() -> Registry.parse(yaml, "loop.yaml")).isInstanceOf(RegistryException.class);
        String selfMerge = "formats: []\nagencies:\n  - &x\n    <<: *x\n";
        assertThatThrownBy(() -> Registry.parse(selfMerge, "loop.yaml"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("'<<' merges a mapping into itself");
    }

    @Test
    void loadReportsTheFileAsGivenAndAnUnreadableFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agencies.yaml");
        Files.writeString(file, Fixtures.text("unknown-kind.yaml"));
        assertThatThrownBy(() -> Registry.load(file))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(file + ":" + lineOf("unknown-kind.yaml", "kind: ftp") + ": unknown channel kind");
        Path missing = dir.resolve("none.yaml");
        assertThatThrownBy(() -> Registry.load(missing))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(missing + ": cannot be read");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> Registry.load(latin1)).hasMessage(latin1 + ": is not valid UTF-8");
    }

    @Test
    void messageListsEveryProblemOnItsOwnLine() {
        String f = "channel-missing-address.yaml";
        String text = Fixtures.text(f);
        assertThatThrownBy(() -> Registry.parse(text, "config/agencies.yaml"))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> {
                    List<String> lines = e.getMessage().lines().toList();
                    assertThat(lines).hasSize(5);
                    assertThat(lines.get(0)).startsWith("config/agencies.yaml:" + lineOf(f, "kind: jms") + ": jms channel");
                    assertThat(lines).allMatch(l -> l.matches("config/agencies\\.yaml:\\d+: .+"));
                });
    }
}
