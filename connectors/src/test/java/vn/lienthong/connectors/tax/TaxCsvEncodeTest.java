package vn.lienthong.connectors.tax;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.v1.Classification;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Receipt;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.ValidationResult;

/** Writing tax-csv files: info.request files, other types as JSON, result files. */
class TaxCsvEncodeTest {

    final TaxCsvConnector connector = new TaxCsvConnector();
    final TaxResultFiles resultFiles = new TaxResultFiles();

    static ValidationResult.Valid example(String path) {
        ValidationResult r = TaxCsvConnectorTest.VALIDATOR.validate(TaxFiles.resource(path));
        assertThat(r.errors()).isEmpty();
        return (ValidationResult.Valid) r;
    }

    /** Reads a file lienthong wrote: every record, the trailer checked against the data rows. */
    static List<CsvReader.Row> read(byte[] file) throws Exception {
        CsvReader reader = new CsvReader(new ByteArrayInputStream(file), 1 << 20, 64);
        List<CsvReader.Row> rows = new ArrayList<>();
        rows.add(reader.next());
        var digest = CsvWriter.sha256();
        reader.hashWith(digest);
        while (reader.peek() != '#') {
            rows.add(reader.next());
        }
        reader.hashWith(null);
        CsvReader.Row trailer = reader.next();
        assertThat(trailer.fields()).containsExactly("#TRAILER", Integer.toString(rows.size() - 1),
                java.util.HexFormat.of().formatHex(digest.digest()));
        assertThat(reader.next()).isNull();
        return rows;
    }

    @Test
    void anInfoRequestBecomesARequestFileWithOneRowPerSubjectOrListing() throws Exception {
        ValidationResult.Valid request = example("lienthong/examples/v1/info.request/valid-tax-data-for-counterfeit-case.json");
        byte[] file = connector.encode(request.message(), CanonicalJson.mapper().writeValueAsBytes(request.normalized()));

        assertThat(new String(file, StandardCharsets.UTF_8))
                .isEqualTo(new String(TaxFiles.resource("formats/tax-csv/info.request-example.csv"), StandardCharsets.UTF_8));
        List<CsvReader.Row> rows = read(file);
        assertThat(rows.get(0).fields()).containsExactlyElementsOf(Columns.REQUEST);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1).get(15)).isEqualTo("organization");
        assertThat(rows.get(2).get(15)).isEqualTo("person");
        assertThat(rows.get(2).get(18)).isEqualTo("001085012345");
        assertThat(rows.get(3).get(20)).startsWith("https://shopee.vn/");
        assertThat(rows.get(1).get(11)).isEqualTo("TAX_REGISTRATION;E_INVOICES");
        assertThat(new String(file, StandardCharsets.UTF_8)).contains("\r\n").doesNotContain("\uFEFF");
        assertThat(connector.fileName(request.message())).isEqualTo("info.request-4d75c259-7658-40f0-bce6-4095b9c72029.csv");
    }

    @Test
    void aFormulaInARequestIsNeutralized() throws Exception {
        ValidationResult.Valid request = example("lienthong/examples/v1/info.request/valid-tax-data-for-counterfeit-case.json");
        var tree = request.normalized().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.at("/payload/subjects/0")).put("name", "=HYPERLINK(\"http://evil\",\"x\")");
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.at("/payload")).put("purpose", "-2+3");
        ValidationResult.Valid edited = (ValidationResult.Valid) TaxCsvConnectorTest.VALIDATOR.validate(tree);
        byte[] file = connector.encode(edited.message(), CanonicalJson.mapper().writeValueAsBytes(edited.normalized()));

        String text = new String(file, StandardCharsets.UTF_8);
        assertThat(text).contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",").contains(",'-2+3,");
        assertThat(Neutralizer.restore(read(file).get(1).get(16))).isEqualTo("=HYPERLINK(\"http://evil\",\"x\")");
    }

    @Test
    void otherTypesAreWrittenAsCanonicalJson() {
        ValidationResult.Valid report = example("lienthong/examples/v1/freeze.report/valid-partially-executed-freeze.json");
        byte[] json = "{\"the\":\"journal's bytes\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(connector.encode(report.message(), json)).isSameAs(json);
        assertThat(connector.fileName(report.message())).endsWith(".json").startsWith("freeze.report-");
    }

    @Test
    void theResultFileHasOneRowPerItemWithItsStatusAndErrors() throws Exception {
        byte[] file = resultFiles.file(exampleReceipts());

        assertThat(new String(file, StandardCharsets.UTF_8)).isEqualTo(
                new String(TaxFiles.resource("formats/tax-csv/info.response-example.result.csv"), StandardCharsets.UTF_8));
        List<CsvReader.Row> rows = read(file);
        assertThat(rows.get(0).fields()).containsExactlyElementsOf(Columns.RESULT);
        assertThat(rows).hasSize(7);
        assertThat(rows.subList(1, 7)).extracting(r -> r.get(0) + " " + r.get(2)).containsExactly(
                "1 ACCEPTED", "2 ACCEPTED", "3 DUPLICATE", "4 ACCEPTED", "5 REJECTED", "6 REJECTED");
        assertThat(rows.get(1).get(1)).isEqualTo(TaxCsvConnector.messageIdOf("TAX-20261119-0001", 1).toString());
        assertThat(rows.get(5).get(3)).isEqualTo("INVALID_TAX_CODE");
        assertThat(rows.get(5).get(4)).isEqualTo(
                "INVALID_TAX_CODE at /payload/results/0/subject/taxCode: tax code check digit does not match");
        assertThat(rows.get(6).get(1)).isEmpty();
        assertThat(rows.get(6).get(4)).isEqualTo("DECODE_FAILED at line 8: column status: 'DONE' is not one of"
                + " COMPLETE, PARTIAL, NO_DATA, REFUSED");
    }

    @Test
    void aWholeFileRefusalIsOneFileRow() throws Exception {
        byte[] receipt = receipt(Receipt.Status.REJECTED, null, false, List.of(new Receipt.Error("DECODE_FAILED", "",
                "line 4: the trailer says 3 data rows, the file has 2 (rows lost or added?)")));
        List<CsvReader.Row> rows = read(resultFiles.file(List.of(receipt)));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).fields()).startsWith("FILE", "", "FILE_REJECTED", "DECODE_FAILED",
                "DECODE_FAILED: line 4: the trailer says 3 data rows, the file has 2 (rows lost or added?)");
        // A one-row file whose row failed is that row, not the file.
        byte[] row = receipt(Receipt.Status.REJECTED, null, false,
                List.of(new Receipt.Error("DECODE_FAILED", "line 2", "column ask: required")));
        assertThat(read(resultFiles.file(List.of(row))).get(1).get(2)).isEqualTo("REJECTED");
    }

    @Test
    void theStreamedResultFileIsTheSameFileWhateverTheNumberOfReceipts() throws Exception {
        byte[] whole = receipt(Receipt.Status.REJECTED, null, false, List.of(new Receipt.Error("DECODE_FAILED", "",
                "line 4: no trailer")));
        for (List<byte[]> receipts : List.of(exampleReceipts(), List.of(whole), exampleReceipts().subList(0, 1),
                exampleReceipts().subList(0, 2), List.<byte[]>of())) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            vn.lienthong.connectors.files.ReceiptFileWriter writer = resultFiles.writer(out);
            for (byte[] r : receipts) {
                writer.add(r);
            }
            writer.finish();
            assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(resultFiles.file(receipts), StandardCharsets.UTF_8));
            // The default (a JSON array, or the one receipt) streams the same way.
            vn.lienthong.connectors.files.ReceiptFiles json = vn.lienthong.connectors.files.ReceiptFiles.forFormat("canonical-json");
            java.io.ByteArrayOutputStream jsonOut = new java.io.ByteArrayOutputStream();
            vn.lienthong.connectors.files.ReceiptFileWriter jsonWriter = json.writer(jsonOut);
            for (byte[] r : receipts) {
                jsonWriter.add(r);
            }
            jsonWriter.finish();
            assertThat(jsonOut.toByteArray()).isEqualTo(json.file(receipts));
        }
    }

    /** The receipts the gateway would write for the example batch (rows 3 and 5 differ, for show). */
    static List<byte[]> exampleReceipts() throws JsonProcessingException {
        List<byte[]> receipts = new ArrayList<>();
        for (int row = 1; row <= 4; row++) {
            receipts.add(receipt(Receipt.Status.ACCEPTED, TaxCsvConnector.messageIdOf("TAX-20261119-0001", row), row == 3,
                    null));
        }
        receipts.add(receipt(Receipt.Status.REJECTED, TaxCsvConnector.messageIdOf("TAX-20261119-0001", 5), false,
                List.of(new Receipt.Error("INVALID_TAX_CODE", "/payload/results/0/subject/taxCode",
                        "tax code check digit does not match"))));
        receipts.add(receipt(Receipt.Status.REJECTED, null, false, List.of(new Receipt.Error("DECODE_FAILED", "line 8",
                "column status: 'DONE' is not one of COMPLETE, PARTIAL, NO_DATA, REFUSED"))));
        return receipts;
    }

    static byte[] receipt(Receipt.Status status, UUID forMessage, boolean duplicate, List<Receipt.Error> errors)
            throws JsonProcessingException {
        Receipt receipt = new Receipt(status, forMessage, OffsetDateTime.parse("2026-11-19T16:20:00+07:00"),
                "4981df2b01d4eeb616d5b4e2df2a46ab1a0ebfceed891ac60d58b37aa628ce85", Receipt.Channel.SFTP,
                duplicate ? Boolean.TRUE : null, errors, null);
        UUID id = NameBasedUuid.v5(NameBasedUuid.URL_NAMESPACE, "receipt/" + forMessage + "/" + errors);
        Envelope envelope = new Envelope(id, "1.0", "GATEWAY", List.of("MOF.TAX"), null, forMessage,
                OffsetDateTime.parse("2026-11-19T16:20:01+07:00"), null, Classification.INTERNAL, null, null, receipt,
                null);
        return CanonicalJson.mapper().writeValueAsBytes(envelope);
    }
}
