package vn.lienthong.gateway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.connectors.canonical.CanonicalJsonConnector;
import vn.lienthong.connectors.tax.TaxCsvConnector;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.identity.Caller;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.policy.Authorizer;
import vn.lienthong.gateway.policy.SignaturePolicy;
import vn.lienthong.gateway.receipts.ReceiptFactory;
import vn.lienthong.gateway.receipts.ReceiptKeys;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.MessageValidator;

/**
 * The refusal chain exists once: an input held in memory (REST, JMS, Kafka) and the same bytes
 * spooled to a file (SFTP) get the same refusal, in the same order (not authenticated, no
 * connector, not decodable, no message), with the same hash; an admitted input goes on item by item.
 */
class IngressPipelineTest {

    private static final Source SOURCE = new Source(ChannelKind.SFTP, "mof-tax/inbox", "MOF.TAX");
    private static final Authentication TAX = new Authentication.Authenticated(
            new Caller("MOF.TAX", "mof-tax", Set.of("info:respond"), Instant.now().plusSeconds(300)));
    /** A format whose connector finds no message in any input. */
    private static final String SILENT = "test-silent";

    private static IngressPipeline pipeline;
    private static SpooledBatchIngress files;

    @TempDir
    static Path dir;

    /** The gateway's default largest message. */
    private static final int MAX = 5_242_880;

    @BeforeAll
    static void pipeline() {
        Registry registry = Registry.load(Path.of("../config/agencies.yaml"));
        Connectors connectors = Connectors.of(new CanonicalJsonConnector(), new TaxCsvConnector(), silent());
        ReceiptSigner signer = new ReceiptSigner(ReceiptKeys.loadOrGenerate(dir.resolve("receipts.p12"),
                "receipts-test".toCharArray()));
        pipeline = new IngressPipeline(connectors, new MessageValidator(), new Authorizer(registry),
                new SignaturePolicy(registry), new DeliveryPlanner(registry), new vn.lienthong.gateway.policy.Deliverability(
                        connectors, java.util.Map.of(vn.lienthong.gateway.registry.ChannelKind.REST, MAX,
                                vn.lienthong.gateway.registry.ChannelKind.JMS, MAX,
                                vn.lienthong.gateway.registry.ChannelKind.KAFKA, MAX,
                                vn.lienthong.gateway.registry.ChannelKind.SFTP, MAX)),
                new ReceiptFactory(Clock.systemUTC(), signer), MAX);
        files = new SpooledBatchIngress(pipeline, null, connectors, 100);
    }

    @Test
    void aSenderNotAuthenticatedIsRefusedBeforeAnyConnectorReadsTheInput() throws IOException {
        byte[] example = example("info.response-example.csv");
        assertRefusedAlike(new Authentication.Refused("the token has expired"), TaxCsvConnector.FORMAT, example,
                ErrorCode.NOT_AUTHENTICATED, "the token has expired");
    }

    @Test
    void aFormatWithoutConnectorIsRefused() throws IOException {
        assertRefusedAlike(TAX, "no-such-format", example("info.response-example.csv"), ErrorCode.DECODE_FAILED,
                "this gateway has no connector for the channel's format no-such-format");
    }

    @Test
    void anInputItsConnectorCannotDecodeIsRefusedWhereItFailed() throws IOException {
        // A header and nothing after it (an empty input is refused before any connector: see below).
        String csv = new String(example("info.response-example.csv"), java.nio.charset.StandardCharsets.UTF_8);
        byte[] headerOnly = csv.substring(0, csv.indexOf("\r\n") + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertRefusedAlike(TAX, TaxCsvConnector.FORMAT, headerOnly, ErrorCode.DECODE_FAILED,
                "line 2: no trailer row: the file ends after 0 data rows (incomplete transfer?)");
    }

    @Test
    void anEmptyOrNotUtf8InputIsRefusedBeforeAnyConnectorWhateverItsFormat() throws IOException {
        assertRefusedAlike(TAX, TaxCsvConnector.FORMAT, new byte[0], ErrorCode.EMPTY_BODY,
                "the input holds no message (zero bytes, or only white space)");
        assertRefusedAlike(TAX, TaxCsvConnector.FORMAT, new byte[] {'a', (byte) 0xFF}, ErrorCode.INVALID_UTF8,
                "the input is not well-formed UTF-8, which every format of this gateway is: byte 0xFF at offset 1:"
                        + " never used in UTF-8");
    }

    @Test
    void anInputWithoutAMessageIsRefusedEmpty() throws IOException {
        assertRefusedAlike(TAX, SILENT, "{}".getBytes(StandardCharsets.UTF_8), ErrorCode.EMPTY_BODY,
                "the input holds no message");
    }

    @Test
    void anAdmittedInputGoesOnItemByItemHeldOrSpooled() throws IOException {
        byte[] batch = example("info.response-example.csv");
        Inbound arrival = new Inbound(SOURCE, TaxCsvConnector.FORMAT, Instant.now(), TAX);
        List<Decoded> items = new ArrayList<>();
        IngressPipeline.Screening held = pipeline.screen(arrival, new HeldInput(batch, SOURCE.address(),
                TaxCsvConnector.FORMAT, MAX, null), items::add);
        IngressPipeline.Screening spooled = files.check(file(batch), "batch.csv", arrival);

        assertThat(held).isInstanceOf(IngressPipeline.Screening.Admitted.class).isEqualTo(spooled);
        assertThat(((IngressPipeline.Screening.Admitted) held).items()).isEqualTo(items.size()).isGreaterThan(1);
        assertThat(held.inputSha256()).isEqualTo(IngressPipeline.sha256(batch));
        for (Decoded item : items) {
            assertThat(pipeline.checkItem(arrival, held.inputSha256(), item, batch).inputSha256())
                    .isEqualTo(held.inputSha256());
        }
    }

    /** Held in memory and spooled to a file, the input gets the same one refusal. */
    private static void assertRefusedAlike(Authentication identity, String format, byte[] input, ErrorCode code,
            String message) throws IOException {
        Inbound arrival = new Inbound(SOURCE, format, Instant.now(), identity);
        IngressPipeline.Screening held = pipeline.screen(arrival, new HeldInput(input, SOURCE.address(), format, MAX, null),
                item -> { });
        IngressPipeline.Screening spooled = files.check(file(input), "input", arrival);
        for (IngressPipeline.Screening screening : List.of(held, spooled)) {
            assertThat(screening).isInstanceOf(IngressPipeline.Screening.Refused.class);
            assertThat(screening.inputSha256()).isEqualTo(IngressPipeline.sha256(input));
            JournalEntry.Refused refused = (JournalEntry.Refused) ((IngressPipeline.Screening.Refused) screening).entry();
            assertThat(refused.errors()).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(code);
                assertThat(e.message()).isEqualTo(message);
            });
            assertThat(refused.original()).isEqualTo(input);
        }
    }

    private static Path file(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "input-", ".tmp");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] example(String name) throws IOException {
        try (InputStream in = IngressPipelineTest.class.getClassLoader().getResourceAsStream("formats/tax-csv/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Connector silent() {
        return new Connector() {
            @Override
            public String format() {
                return SILENT;
            }

            @Override
            public String mediaType() {
                return "application/json";
            }

            @Override
            public void decode(InputStream in, String sourceName, DecodedSink sink) {
                // finds nothing
            }

            @Override
            public byte[] encode(Envelope message, byte[] canonicalJson) {
                return canonicalJson;
            }

            @Override
            public String extension() {
                return ".json";
            }
        };
    }
}
