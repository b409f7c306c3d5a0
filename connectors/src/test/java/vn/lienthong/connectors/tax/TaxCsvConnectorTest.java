package vn.lienthong.connectors.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.lienthong.connectors.tax.TaxFiles.file;
import static vn.lienthong.connectors.tax.TaxFiles.registration;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.lienthong.connectors.files.ReceiptFiles;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.ValidatorSettings;
import vn.lienthong.schemas.input.StrictInput;
import vn.lienthong.schemas.v1.InfoResponse;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/** Decoding tax-csv info.response batches: rows, row failures, whole-file refusals, CSV injection. */
class TaxCsvConnectorTest {

    static final MessageValidator VALIDATOR = new MessageValidator(ValidatorSettings.defaults()
            .withClock(Clock.fixed(Instant.parse("2026-11-20T05:00:00Z"), ZoneOffset.UTC)));
    static final String EXAMPLE = "formats/tax-csv/info.response-example.csv";

    final TaxCsvConnector connector = new TaxCsvConnector();

    List<Decoded> decode(byte[] bytes) throws Exception {
        List<Decoded> items = new ArrayList<>();
        connector.decode(new ByteArrayInputStream(bytes), "test.csv", items::add);
        return items;
    }

    static JsonNode tree(Decoded item) throws IOException {
        assertThat(item).isInstanceOf(Decoded.Canonical.class);
        return CanonicalJson.mapper().readTree(((Decoded.Canonical) item).json());
    }

    @Test
    void theExampleBatchDecodesIntoValidInfoResponsesOnePerRow() throws Exception {
        List<Decoded> items = decode(TaxFiles.resource(EXAMPLE));

        assertThat(items).hasSize(6).allMatch(i -> i instanceof Decoded.Canonical);
        // Row 4's note spans two physical lines: row 5 starts on line 7.
        assertThat(items).extracting(Decoded::location)
                .containsExactly("line 2", "line 3", "line 4", "line 5", "line 7", "line 8");
        for (int i = 0; i < items.size(); i++) {
            ValidationResult r = VALIDATOR.validate(((Decoded.Canonical) items.get(i)).json());
            assertThat(r.errors()).as("row %d", i + 1).isEmpty();
            var message = ((ValidationResult.Valid) r).message();
            assertThat(message.messageId()).isEqualTo(TaxCsvConnector.messageIdOf("TAX-20261119-0001", i + 1));
            assertThat(message.sender()).isEqualTo("MOF.TAX");
            assertThat(message.inReplyTo()).isEqualTo(((InfoResponse) message.payload()).request());
        }
        JsonNode first = tree(items.get(0));
        assertThat(first.at("/recipients/0").asText()).isEqualTo("MOIT.DMS");
        assertThat(first.at("/correlationId").asText()).isEqualTo("QLTT-HN-2026-1187");
        assertThat(first.at("/classification").asText()).isEqualTo("restricted");
        assertThat(first.at("/payload/results/0/taxRegistration/status").asText()).isEqualTo("NOT_AT_ADDRESS");
        assertThat(first.at("/payload/results/0/taxRegistration/address/province/code").asText()).isEqualTo("01");
        JsonNode third = tree(items.get(2));
        assertThat(third.at("/payload/results/0/eInvoices/0/goods").asText()).isEqualTo("Son kem lì 3CE \"Velvet Lip Tint\", 2 màu");
        assertThat(third.at("/payload/results/0/eInvoices/0/totalVnd").isIntegralNumber()).isTrue();
        assertThat(third.at("/payload/results/0/eInvoices/0/valid").asBoolean()).isFalse();
        assertThat(tree(items.get(3)).at("/payload/results/0/note").asText()).contains(":\n1.124.000.000");
        JsonNode last = tree(items.get(5));
        assertThat(last.at("/recipients/0").asText()).isEqualTo("PROV.79");
        assertThat(last.at("/payload/status").asText()).isEqualTo("NO_DATA");
        assertThat(last.at("/payload/results").size()).isZero();
    }

    @Test
    void messageIdsAreNameBasedAndStableSoAReprocessedFileGivesDuplicates() throws Exception {
        byte[] example = TaxFiles.resource(EXAMPLE);
        List<Decoded> once = decode(example);
        List<Decoded> twice = decode(example);
        for (int i = 0; i < once.size(); i++) {
            assertThat(tree(twice.get(i)).get("messageId")).isEqualTo(tree(once.get(i)).get("messageId"));
        }
        UUID id = TaxCsvConnector.messageIdOf("TAX-20261119-0001", 1);
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(TaxCsvConnector.messageIdOf("TAX-20261119-0001", 2)).isNotEqualTo(id);
        assertThat(TaxCsvConnector.messageIdOf("TAX-20261119-0002", 1)).isNotEqualTo(id);
        // Pinned: tax's system can compute the ids itself (README), so they must never change.
        assertThat(TaxCsvConnector.MESSAGE_ID_NAMESPACE).hasToString("29b79683-7b05-554e-ade0-0879ec3855b6");
        // The same as Python's uuid.uuid5(namespace, "TAX-20261119-0001/1").
        assertThat(id).hasToString("3b42ed43-877e-5d9d-83cd-2d35cde5ff85");
    }

    @Test
    void lfLineEndingsAndAByteOrderMarkReadTheSame() throws Exception {
        List<List<String>> rows = List.of(registration(), registration("ask", "E_INVOICES", "registration_status", "",
                "found", "false"));
        List<Decoded> crlf = decode(file(rows, "\r\n"));
        List<Decoded> lf = decode(file(rows, "\n"));
        byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, file(rows, "\r\n"));
        List<Decoded> withBom = decode(bom);
        for (List<Decoded> other : List.of(lf, withBom)) {
            assertThat(other).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(tree(other.get(i))).isEqualTo(tree(crlf.get(i)));
            }
        }
    }

    @Test
    void aFileWithoutRowsIsValidAndEmpty() throws Exception {
        assertThat(decode(file(List.of(), "\r\n"))).isEmpty();
    }

    @Test
    void emptyLinesAfterTheTrailerAndATrailerWithoutLineEndingAreTolerated() throws Exception {
        byte[] withBlankLines = concat(file(List.of(registration()), "\r\n"), "\r\n\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(decode(withBlankLines)).hasSize(1);
        byte[] full = file(List.of(registration()), "\n");
        assertThat(decode(Arrays.copyOf(full, full.length - 1))).hasSize(1);
    }

    @Test
    void aRowWithWrongValuesIsAFailureOfThatRowOnly() throws Exception {
        List<List<String>> rows = List.of(
                registration(),
                registration("registration_status", "ACTIVATED"),
                registration("registered_on", "12/03/2019"),
                registration("found", "yes"),
                registration("ask", ""),
                registration("subject_kind", "person", "subject_tax_code", "", "subject_name", "Nguyễn Văn Khải"),
                registration("request_message_id", "not-a-uuid"),
                registration("created_at", "2026-11-19 16:10"),
                registration("found", "false"),
                registration("ask", "E_INVOICES", "registration_status", "", "invoice_symbol", "1C26TLK",
                        "invoice_number", "154", "invoice_issued_on", "2026-08-21", "invoice_seller_tax_code",
                        "0105123457", "invoice_total_vnd", "86.400.000", "invoice_valid", "true"),
                registration("status", "001085012345"),
                registration());
        List<Decoded> items = decode(file(rows, "\r\n"));

        assertThat(items).hasSize(12);
        assertThat(items.get(0)).isInstanceOf(Decoded.Canonical.class);
        assertThat(items.get(11)).isInstanceOf(Decoded.Canonical.class);
        assertThat(items.subList(1, 11)).allMatch(i -> i instanceof Decoded.Failure);
        assertThat(items).extracting(Decoded::location).containsExactly("line 2", "line 3", "line 4", "line 5",
                "line 6", "line 7", "line 8", "line 9", "line 10", "line 11", "line 12", "line 13");
        assertThat(items.subList(1, 11)).extracting(i -> ((Decoded.Failure) i).message()).containsExactly(
                "column registration_status: 'ACTIVATED' is not one of ACTIVE, SUSPENDED, CEASED, NOT_AT_ADDRESS, CLOSED",
                "column registered_on: not a date YYYY-MM-DD (e.g. 2026-11-20)",
                "column found: 'yes' is not true or false",
                "column ask: required",
                "column subject_cccd: a person needs subject_cccd or subject_tax_code",
                "column request_message_id: not a UUID (8-4-4-4-12 hexadecimal digits)",
                "column created_at: not an RFC 3339 date-time with offset, e.g. 2026-11-20T08:30:00+07:00",
                "column found: false, but registration or invoice columns are filled",
                "column invoice_total_vnd: not a whole number of VND (digits only, no separators)",
                // A personal identifier shifted into a code column is never echoed.
                "column status: the value is not one of COMPLETE, PARTIAL, NO_DATA, REFUSED");
        // Row numbers count every data row, failed or not: the last row is row 12.
        assertThat(tree(items.get(11)).get("messageId").asText())
                .isEqualTo(TaxCsvConnector.messageIdOf("B-1", 12).toString());
    }

    @Test
    void rowValuesTheValidatorRefusesAreLeftToItWithTheirPointer() throws Exception {
        List<Decoded> items = decode(file(List.of(registration("subject_tax_code", "0100233480")), "\r\n"));
        ValidationResult r = VALIDATOR.validate(((Decoded.Canonical) items.get(0)).json());
        assertThat(r.errors()).extracting(e -> e.code().name() + " " + e.pointer())
                .contains("INVALID_TAX_CODE /payload/results/0/subject/taxCode");
    }

    static Stream<Arguments> brokenFiles() {
        String eol = "\r\n";
        List<String> ok = registration();
        String okLine = TaxFiles.line(ok, eol);
        String header = TaxFiles.line(TaxFiles.HEADER, eol);
        List<String> short1 = new ArrayList<>(ok.subList(0, 29));
        return Stream.of(
                Arguments.of("wrong column count", withTrailer(header, okLine + TaxFiles.line(short1, eol), 2),
                        "line 3: 29 columns, 30 expected"),
                Arguments.of("empty line", withTrailer(header, okLine + eol, 2),
                        "line 3: 1 columns, 30 expected (an empty line?)"),
                Arguments.of("unclosed quote", (header + okLine + okLine.replace(",Công", ",\"Công")).getBytes(StandardCharsets.UTF_8),
                        "line 3: a quoted field (column 10) opened on this line is never closed"),
                Arguments.of("stray quote", withTrailer(header, okLine.replace("Linh Khải", "Linh \"Khải\""), 1),
                        "line 2: a quote inside an unquoted field (column 10); a field containing quotes must be quoted and its quotes doubled"),
                Arguments.of("text after a closing quote", withTrailer(header, okLine.replace(",Công ty TNHH Linh Khải,", ",\"Công ty\" TNHH,"), 1),
                        "line 2: text after the closing quote of column 10; a quote inside a quoted field must be doubled"),
                Arguments.of("bare CR", withTrailer(header, okLine.replace(",Công ty", ",Công\rty"), 1),
                        "line 2: a carriage return (CR) not followed by a line feed (LF); lines end with CRLF or LF"),
                Arguments.of("trailer count", TaxFiles.withTrailer(header.getBytes(StandardCharsets.UTF_8),
                        (okLine + okLine).getBytes(StandardCharsets.UTF_8), 3, eol),
                        "line 4: the trailer says 3 data rows, the file has 2 (rows lost or added?)"),
                Arguments.of("trailer hash", tamper(file(List.of(ok, ok), eol)),
                        "line 4: the trailer's SHA-256 does not match the data rows (the file was altered, or rows were written after the hash was computed)"),
                Arguments.of("no trailer", (header + okLine).getBytes(StandardCharsets.UTF_8),
                        "line 3: no trailer row: the file ends after 1 data rows (incomplete transfer?)"),
                Arguments.of("trailer form", (header + okLine + "#END" + eol).getBytes(StandardCharsets.UTF_8),
                        "line 3: the trailer must be #TRAILER,<row count>,<SHA-256 hex>"),
                Arguments.of("after the trailer", concat(file(List.of(ok), eol), okLine.getBytes(StandardCharsets.UTF_8)),
                        "line 4: content after the trailer row"),
                Arguments.of("header order", withTrailer(header.replace("ask,subject_kind", "subject_kind,ask"), okLine, 1),
                        "line 1: header column 8 must be ask (the columns and their order are fixed: " + String.join(",", TaxFiles.HEADER) + ")"),
                Arguments.of("request file", withTrailer(TaxFiles.line(Columns.REQUEST, eol), "", 0),
                        "line 1: this is an info.request file (lienthong writes those to the tax authority); the tax authority sends info.response files"),
                Arguments.of("empty file", new byte[0], "line 1: the file is empty; a tax-csv file starts with its header row"),
                Arguments.of("two batches", withTrailer(header, okLine + okLine.replace("B-1,", "B-2,"), 2),
                        "line 3: batch_id differs from the first row's: one file is one batch"),
                Arguments.of("bad batch id", withTrailer(header, okLine.replace("B-1,", "B 1,"), 1),
                        "line 2: batch_id must be 1 to 64 characters of A-Z a-z 0-9 . _ : -"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void aBrokenFileIsRefusedAsAWholeNamingTheLine(String what, byte[] bytes, String message) {
        assertThatThrownBy(() -> decode(bytes)).isInstanceOf(DecodeException.class).hasMessage(message)
                .satisfies(e -> assertThat(((DecodeException) e).location()).isEmpty());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirLineAndColumn() {
        String header = TaxFiles.line(TaxFiles.HEADER, "\r\n");
        byte[] row = TaxFiles.line(registration("subject_name", "Cong ty XXXX"), "\r\n").getBytes(StandardCharsets.UTF_8);
        // "Công" in Windows-1258 is 43 F4 6E 67: F4 is no UTF-8 lead byte followed by continuation bytes.
        int at = indexOf(row, "XXXX".getBytes(StandardCharsets.US_ASCII));
        row[at] = (byte) 0xF4;
        row[at + 1] = 'n';
        byte[] bytes = TaxFiles.withTrailer(header.getBytes(StandardCharsets.UTF_8), row, 1, "\r\n");
        assertThatThrownBy(() -> decode(bytes)).isInstanceOf(DecodeException.class)
                .hasMessage("line 2: bytes that are not UTF-8 in column 10 (byte 9 of the field); the file must be encoded in UTF-8");
        // An overlong form and an encoded surrogate are not UTF-8 either.
        assertThat(StrictInput.firstInvalidUtf8(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 0, 3)).isEqualTo(1);
        assertThat(StrictInput.firstInvalidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).isZero();
        assertThat(StrictInput.firstInvalidUtf8(new byte[] {(byte) 0xE1, (byte) 0xBB}, 0, 2)).isZero();
        assertThat(StrictInput.firstInvalidUtf8("Hộ kinh doanh 𝔸".getBytes(StandardCharsets.UTF_8), 0,
                "Hộ kinh doanh 𝔸".getBytes(StandardCharsets.UTF_8).length)).isEqualTo(-1);
    }

    @Test
    void aTrailerMismatchComesAfterTheRowsWereEmittedSoTheCallerMustDropThem() {
        byte[] bytes = tamper(file(List.of(registration(), registration()), "\r\n"));
        List<Decoded> items = new ArrayList<>();
        assertThatThrownBy(() -> connector.decode(new ByteArrayInputStream(bytes), "t.csv", items::add))
                .isInstanceOf(DecodeException.class);
        assertThat(items).hasSize(2);
    }

    @Test
    void quotedFieldsMayHoldSeparatorsQuotesAndLineBreaks() throws Exception {
        String name = "Công ty \"Linh Khải\", chi nhánh\r\nHà Đông";
        List<Decoded> items = decode(file(List.of(registration("subject_name", name), registration()), "\r\n"));
        assertThat(tree(items.get(0)).at("/payload/results/0/subject/name").asText()).isEqualTo(name);
        assertThat(items.get(1).location()).isEqualTo("line 4");
    }

    @Test
    void csvInjectionIsNeutralizedWhenWrittenAndTheApostropheDroppedWhenRead() throws Exception {
        List<Decoded> items = decode(file(List.of(
                registration("subject_name", "'=HYPERLINK(\"http://x\")", "note", "'-5 (neutralized)"),
                registration("subject_name", "=1+1", "note", "'plain apostrophe")), "\r\n"));
        assertThat(tree(items.get(0)).at("/payload/results/0/subject/name").asText()).isEqualTo("=HYPERLINK(\"http://x\")");
        assertThat(tree(items.get(0)).at("/payload/results/0/note").asText()).isEqualTo("-5 (neutralized)");
        // Not neutralized by the sender: accepted as is (JSON is never evaluated).
        assertThat(tree(items.get(1)).at("/payload/results/0/subject/name").asText()).isEqualTo("=1+1");
        assertThat(tree(items.get(1)).at("/payload/results/0/note").asText()).isEqualTo("'plain apostrophe");

        for (String s : List.of("=1+1", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "'abc", "abc", "")) {
            assertThat(Neutralizer.restore(Neutralizer.neutralize(s))).as(s).isEqualTo(s);
        }
        assertThat(Neutralizer.neutralize("=1+1")).isEqualTo("'=1+1");
        assertThat(Neutralizer.neutralize("Công ty")).isEqualTo("Công ty");
    }

    @Test
    void aCanonicalJsonFileIsPassedThroughForTheTypesWithoutACsvProfile() throws Exception {
        byte[] json = TaxFiles.resource("lienthong/examples/v1/report.periodic/valid-totals-only.json");
        byte[] spaced = concat("\r\n  ".getBytes(StandardCharsets.US_ASCII), json);
        List<Decoded> items = decode(spaced);
        assertThat(items).hasSize(1);
        assertThat(((Decoded.Canonical) items.get(0)).json()).isEqualTo(spaced);
    }

    @Test
    void itIsFoundByItsFormatName() {
        assertThat(Connectors.discover().forFormat("tax-csv")).get().isInstanceOf(TaxCsvConnector.class);
        assertThat(connector.mediaType()).isEqualTo("text/csv");
        // Its SFTP result file, found by the same name.
        ReceiptFiles results = ReceiptFiles.forFormat("tax-csv");
        assertThat(results).isInstanceOf(TaxResultFiles.class);
        assertThat(results.fileName("TAX-20261119-0001.csv")).isEqualTo("TAX-20261119-0001.result.csv");
        assertThat(results.fileName("freeze.json")).isEqualTo("freeze.json.result.csv");
    }

    static byte[] withTrailer(String header, String data, long count) {
        return TaxFiles.withTrailer(header.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8), count,
                "\r\n");
    }

    /** Changes one data byte after the trailer was computed. */
    static byte[] tamper(byte[] file) {
        byte[] copy = file.clone();
        int at = indexOf(copy, "Linh".getBytes(StandardCharsets.US_ASCII));
        copy[at] = 'X';
        return copy;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
