package vn.lienthong.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.lienthong.schemas.MessageType.CASE_TRANSFER;
import static vn.lienthong.schemas.MessageType.FREEZE_REPORT;
import static vn.lienthong.schemas.MessageType.FREEZE_REQUEST;
import static vn.lienthong.schemas.MessageType.INFO_REQUEST;
import static vn.lienthong.schemas.MessageType.INFO_RESPONSE;
import static vn.lienthong.schemas.MessageType.RECEIPT;
import static vn.lienthong.schemas.MessageType.REPORT_PERIODIC;
import static vn.lienthong.schemas.MessageType.TAKEDOWN_REPORT;
import static vn.lienthong.schemas.MessageType.TAKEDOWN_REQUEST;
import static vn.lienthong.schemas.MessageType.VIOLATION_NOTICE;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.ids.Provinces;

/** The real {@code config/agencies.yaml} loads and says what DESIGN.md says; the API behaves. */
class RegistryTest {

    // Maven runs the tests in routes/, next to config/.
    private static final Registry REAL = Registry.load(Path.of("../config/agencies.yaml"));

    @Test
    void anAgencysRetryPolicyIsReadWithTheGatewaysDefaultForWhatItLeavesOut() {
        String text = Fixtures.text("retry.yaml");
        Registry registry = Registry.parse(text.substring(0, text.indexOf("  - code: PROV.37")), "retry.yaml");
        Retry retry = registry.agency("SBV").orElseThrow().retry().orElseThrow();
        assertThat(retry.initialDelay()).contains(java.time.Duration.ofSeconds(2));
        assertThat(retry.maxDelay()).contains(java.time.Duration.ofMinutes(10));
        assertThat(retry.giveUpAfter()).contains(java.time.Duration.ofDays(3));
        assertThat(retry.multiplier()).isEmpty();
        assertThat(retry.maxAttempts()).isEmpty();
        assertThat(REAL.agencies()).allSatisfy(a -> assertThat(a.retry()).as(a.code()).isEmpty());
    }

    @Test
    void realRegistryHasTheAgenciesOfTheDesign() {
        assertThat(REAL.agencies()).extracting(Agency::code).contains(
                "MOIT.DMS", "MOIT.ECDE", "MOIT.NCC", "MPS.C03", "MPS.A05", "MOF.CUSTOMS", "MOF.TAX", "SBV",
                "BCD389", "PROV.01", "PROV.37", "PROV.79");
        assertThat(REAL.formats()).extracting(Format::name).containsExactlyInAnyOrder(
                "canonical-json", "police-case-json", "customs-xml", "tax-csv", "sbv-freeze-xml", "edxml");
        assertThat(REAL.agency("PROV.37").orElseThrow().name().vi()).isEqualTo("Tỉnh Ninh Bình");
        assertThat(REAL.agency("MOIT.DMS").orElseThrow().keycloakClient()).isEqualTo("moit-dms");
    }

    @Test
    void realRegistryFollowsTheMessageTable() {
        assertThat(REAL.maySend("PROV.37", FREEZE_REQUEST)).isFalse();
        assertThat(REAL.maySend("MPS.C03", FREEZE_REQUEST)).isTrue();
        assertThat(REAL.mayReceive("SBV", FREEZE_REQUEST)).isTrue();
        assertThat(REAL.maySend("SBV", FREEZE_REPORT)).isTrue();
        // Only police, market surveillance and tax request freezes; only the State Bank executes them.
        assertThat(REAL.agencies().stream().filter(a -> a.maySend(FREEZE_REQUEST)).map(Agency::code))
                .containsExactlyInAnyOrder("MPS.C03", "MPS.A05", "MOIT.DMS", "MOF.TAX");
        assertThat(REAL.receiversOf(FREEZE_REQUEST)).extracting(Agency::code).containsExactly("SBV");
        assertThat(REAL.agencies().stream().filter(a -> a.maySend(FREEZE_REPORT)).map(Agency::code))
                .containsExactly("SBV");
        assertThat(REAL.agencies().stream().filter(a -> a.maySend(TAKEDOWN_REQUEST)).map(Agency::code))
                .containsExactly("MOIT.ECDE");
        // BCD389 and, as the 2026 plan's consolidator, market surveillance receive the periodic reports;
        // the e-commerce agency the gateway's weekly early-warning digest.
        assertThat(REAL.receiversOf(REPORT_PERIODIC)).extracting(Agency::code)
                .containsExactlyInAnyOrder("BCD389", "MOIT.DMS", "MOIT.ECDE");
        // Criminal cases to the police; Health and Agriculture take cases in their fields.
        assertThat(REAL.receiversOf(CASE_TRANSFER)).extracting(Agency::code)
                .containsExactlyInAnyOrder("MPS.C03", "MPS.A05", "MOH", "MAE");
        assertThat(REAL.maySend("PROV.01", VIOLATION_NOTICE)).isTrue();
        assertThat(REAL.maySend("NOBODY", INFO_REQUEST)).isFalse();
        for (Agency a : REAL.agencies()) {
            assertThat(a.receives()).as(a.code()).contains(RECEIPT);
            assertThat(a.sends()).as(a.code()).doesNotContain(RECEIPT);
        }
    }

    @Test
    void platformsReceiveTakedownsAndInformationRequestsAndSayOnlyTheirAnswers() {
        List<Agency> platforms = REAL.agencies().stream().filter(a -> a.code().startsWith("PLATFORM.")).toList();
        assertThat(platforms).extracting(Agency::code).contains("PLATFORM.SHOPEE", "PLATFORM.LAZADA",
                "PLATFORM.TIKTOKSHOP", "PLATFORM.TIKI", "PLATFORM.TEMU");
        for (Agency p : platforms) {
            assertThat(p.sends()).as(p.code()).containsExactlyInAnyOrder(TAKEDOWN_REPORT, INFO_RESPONSE);
            assertThat(p.receives()).as(p.code()).containsExactlyInAnyOrder(TAKEDOWN_REQUEST, INFO_REQUEST,
                    MessageType.DEADLINE_OVERDUE, RECEIPT);
            assertThat(p.channels()).as(p.code()).extracting(Channel::kind).containsExactly(ChannelKind.REST);
        }
        // Besides the platforms, the .vn registry takes requests to suspend domains.
        List<String> takedowns = new java.util.ArrayList<>(platforms.stream().map(Agency::code).toList());
        takedowns.add("MOST.VNNIC");
        assertThat(REAL.receiversOf(TAKEDOWN_REQUEST)).extracting(Agency::code)
                .containsExactlyInAnyOrderElementsOf(takedowns);
    }

    @Test
    void theSeedsGapsAreFilled() {
        // SBV answers the investigators' account queries; tax notifies on its own initiative.
        assertThat(REAL.mayReceive("SBV", INFO_REQUEST)).isTrue();
        assertThat(REAL.maySend("SBV", INFO_RESPONSE)).isTrue();
        assertThat(REAL.maySend("MOF.TAX", VIOLATION_NOTICE)).isTrue();
        assertThat(REAL.mayReceive("MOIT.DMS", REPORT_PERIODIC)).isTrue();
    }

    @Test
    void aMessageGoesOnTheFirstChannelWhoseFormatCarriesItsType() {
        Agency sbv = REAL.agency("SBV").orElseThrow();
        assertThat(sbv.deliveryChannel(FREEZE_REQUEST).format().name()).isEqualTo("sbv-freeze-xml");
        assertThat(sbv.deliveryChannel(INFO_REQUEST).format().name()).isEqualTo("canonical-json");
        assertThat(sbv.deliveryChannel(INFO_REQUEST).kind()).isEqualTo(ChannelKind.REST);
        assertThat(REAL.format("sbv-freeze-xml").orElseThrow().carries(INFO_REQUEST)).isFalse();
        assertThat(REAL.format("canonical-json").orElseThrow().carries(INFO_REQUEST)).isTrue();
        // The gateway's deadline notices reach the police in their REST inbox, not on Kafka.
        Agency police = REAL.agency("MPS.C03").orElseThrow();
        assertThat(police.deliveryChannel(FREEZE_REPORT).kind()).isEqualTo(ChannelKind.KAFKA);
        assertThat(police.deliveryChannel(MessageType.DEADLINE_OVERDUE).kind()).isEqualTo(ChannelKind.REST);
        // Whoever requests hears of a missed deadline; nobody but the gateway sends one.
        for (Agency a : REAL.agencies()) {
            assertThat(a.sends()).as(a.code()).doesNotContain(MessageType.DEADLINE_OVERDUE);
            if (a.sends().stream().anyMatch(t -> t == FREEZE_REQUEST || t == INFO_REQUEST || t == TAKEDOWN_REQUEST)) {
                assertThat(a.receives()).as(a.code()).contains(MessageType.DEADLINE_OVERDUE);
            }
        }
    }

    @Test
    void realProvincesAreCurrentAndShareTheirTemplate() {
        List<Agency> provinces = REAL.agencies().stream().filter(a -> a.provinceCode().isPresent()).toList();
        assertThat(provinces).hasSize(34);
        for (Agency p : provinces) {
            assertThat(Provinces.isCurrent(p.provinceCode().get())).as(p.code()).isTrue();
            assertThat(p.sends()).isEqualTo(REAL.agency("PROV.01").orElseThrow().sends());
            // Every province has its REST inbox; the first three also exchange edXML over SFTP.
            if (List.of("PROV.01", "PROV.37", "PROV.79").contains(p.code())) {
                assertThat(p.channels()).extracting(Channel::kind, c -> c.format().name()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChannelKind.REST, "canonical-json"),
                        org.assertj.core.groups.Tuple.tuple(ChannelKind.SFTP, "edxml"));
            } else {
                assertThat(p.channels()).extracting(Channel::kind, c -> c.format().name()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChannelKind.REST, "canonical-json"));
            }
        }
    }

    @Test
    void ownerOfFindsTheAgencyBehindAnInboundAddress() {
        Channel customs = REAL.agency("MOF.CUSTOMS").orElseThrow().channels(ChannelKind.JMS).get(0);
        String queue = customs.inbound().orElseThrow();
        assertThat(REAL.ownerOf(ChannelKind.JMS, queue)).map(Agency::code).contains("MOF.CUSTOMS");
        // Outbound addresses are the gateway's to write, not a sender's.
        assertThat(REAL.ownerOf(ChannelKind.JMS, customs.outbound().orElseThrow())).isEmpty();
        // Queues and topics are different namespaces.
        assertThat(REAL.ownerOf(ChannelKind.KAFKA, queue)).isEmpty();
        assertThat(REAL.ownerOf(ChannelKind.KAFKA, "lienthong.MPS.C03.in")).map(Agency::code).contains("MPS.C03");
        assertThat(REAL.ownerOf(ChannelKind.SFTP, "mof-tax")).map(Agency::code).contains("MOF.TAX");
        assertThat(REAL.ownerOf(ChannelKind.SFTP, "/prov-37/outbox/report.xml")).map(Agency::code).contains("PROV.37");
        assertThat(REAL.ownerOf(ChannelKind.SFTP, "prov-370")).isEmpty();
        assertThat(REAL.ownerOf(ChannelKind.REST, "anything")).isEmpty();
    }

    @Test
    void channelAccessorsAnswerPerKind() {
        Channel sftp = REAL.agency("MOF.TAX").orElseThrow().channels().get(0);
        assertThat(sftp).isInstanceOf(Channel.Sftp.class);
        assertThat(sftp.folder()).contains("mof-tax");
        assertThat(sftp.inbound()).isEmpty();
        assertThat(sftp.delivery()).isEmpty();
        assertThat(sftp.format().mediaType()).isEqualTo("text/csv");

        Channel rest = REAL.agency("PROV.79").orElseThrow().channels(ChannelKind.REST).get(0);
        assertThat(rest.delivery()).contains(Delivery.PULL);
        assertThat(rest.url()).isEmpty();
        assertThat(rest.addresses()).isEmpty();

        Format json = REAL.format("canonical-json").orElseThrow();
        Channel push = Channel.Rest.push(json, URI.create("https://lgsp.example.vn/lienthong"));
        assertThat(push.url()).contains(URI.create("https://lgsp.example.vn/lienthong"));
        assertThat(push.delivery()).contains(Delivery.PUSH);

        Channel jms = new Channel.Jms(json, "a.in", "a.out");
        assertThat(jms.kind()).isEqualTo(ChannelKind.JMS);
        assertThat(jms.inbound()).contains("a.in");
        assertThat(jms.outbound()).contains("a.out");
        assertThat(jms.folder()).isEmpty();
    }

    @Test
    void channelsRefuseToExistWithoutTheirAddresses() {
        Format json = new Format("canonical-json", "application/json", "canonical");
        assertThatThrownBy(() -> new Channel.Jms(json, "a.in", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Channel.Kafka(json, "t", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Channel.Sftp(json, "/etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Channel.Sftp(json, "a/../b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Channel.Rest(json, Delivery.PUSH, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Channel.Rest(json, Delivery.PULL, URI.create("https://x.vn/")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsAreImmutableCopies() {
        Format json = new Format("canonical-json", "application/json", "canonical");
        List<Channel> channels = new ArrayList<>(List.of(Channel.Rest.pull(json)));
        Set<MessageType> sends = EnumSet.of(INFO_REQUEST);
        Agency agency = new Agency("MOIT.NCC", new AgencyName("Ủy ban Cạnh tranh Quốc gia", "National Competition Commission"),
                Optional.empty(), "moit-ncc", sends, Set.of(RECEIPT), channels);
        channels.add(new Channel.Sftp(json, "x"));
        sends.add(FREEZE_REQUEST);
        assertThat(agency.channels()).hasSize(1);
        assertThat(agency.maySend(FREEZE_REQUEST)).isFalse();
        assertThatThrownBy(() -> agency.sends().add(FREEZE_REQUEST)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> agency.channels().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> REAL.agencies().clear()).isInstanceOf(UnsupportedOperationException.class);

        List<Agency> agencies = new ArrayList<>(List.of(agency));
        Registry registry = new Registry(List.of(json), agencies);
        agencies.clear();
        assertThat(registry.agencies()).hasSize(1);
        assertThatThrownBy(() -> new Registry(List.of(), List.of(agency)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not listed");
        assertThatThrownBy(() -> new Agency("MOIT.NCC", agency.name(), Optional.empty(), "moit-ncc",
                Set.of(RECEIPT), Set.of(), List.of(Channel.Rest.pull(json))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergeKeysBringTemplatesAndOwnKeysWin() {
        Registry r = Registry.parse(Fixtures.text("merge.yaml"), "registry/merge.yaml");
        Agency hanoi = r.agency("PROV.01").orElseThrow();
        Agency hcmc = r.agency("PROV.79").orElseThrow();
        assertThat(hanoi.sends()).containsExactly(VIOLATION_NOTICE, CASE_TRANSFER, REPORT_PERIODIC);
        assertThat(hanoi.receives()).containsExactly(VIOLATION_NOTICE, RECEIPT);
        assertThat(hanoi.channels()).hasSize(2);
        assertThat(hcmc.sends()).isEqualTo(hanoi.sends());
        assertThat(hcmc.receives()).containsExactly(VIOLATION_NOTICE, INFO_REQUEST, RECEIPT);
        // channels came from the second template in the merge list
        assertThat(hcmc.channels()).extracting(Channel::kind).containsExactly(ChannelKind.REST);
    }

    @Test
    void minimalRegistryLoads() {
        Registry r = Registry.parse(Fixtures.text("valid-minimal.yaml"), "registry/valid-minimal.yaml");
        assertThat(r.agencies()).singleElement().satisfies(a -> {
            assertThat(a.code()).isEqualTo("MOIT.DMS");
            assertThat(a.organId()).isEmpty();
            assertThat(a.provinceCode()).isEmpty();
        });
    }

    @Test
    void problemPrintsAsFileLineMessage() {
        assertThat(new Problem("config/agencies.yaml", 42, "unknown format 'x'"))
                .hasToString("config/agencies.yaml:42: unknown format 'x'");
        assertThat(new Problem("config/agencies.yaml", 0, "cannot be read"))
                .hasToString("config/agencies.yaml: cannot be read");
    }

    @Test
    void aChannelSaysWhetherItsInputsMustBeSignedOptionalByDefault() {
        String yaml = """
                formats:
                  - {name: canonical-json, mediaType: application/json, description: canonical envelope}
                  - {name: edxml, mediaType: application/xml, description: edXML}
                agencies:
                  - code: PROV.37
                    name: {vi: Tỉnh Ninh Bình, en: Ninh Bình Province}
                    keycloakClient: prov-37
                    sends: [violation.notice]
                    receives: [receipt]
                    channels:
                      - {kind: rest, format: canonical-json, delivery: pull}
                      - {kind: sftp, format: edxml, folder: prov-37, signatures: required}
                      - {kind: jms, format: edxml, inbound: p37.in, outbound: p37.out, signatures: optional}
                """;
        Agency p37 = Registry.parse(yaml, "inline.yaml").agency("PROV.37").orElseThrow();
        assertThat(p37.channels()).extracting(Channel::kind, Channel::signatures).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ChannelKind.REST, Signatures.OPTIONAL),
                org.assertj.core.groups.Tuple.tuple(ChannelKind.SFTP, Signatures.REQUIRED),
                org.assertj.core.groups.Tuple.tuple(ChannelKind.JMS, Signatures.OPTIONAL));
        // The real registry leaves every channel optional: provinces' edXML may come unsigned today.
        assertThat(REAL.agencies()).flatExtracting(Agency::channels).extracting(Channel::signatures)
                .containsOnly(Signatures.OPTIONAL);
    }
}
