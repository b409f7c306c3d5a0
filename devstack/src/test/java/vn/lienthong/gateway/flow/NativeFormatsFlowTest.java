package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.json;
import static vn.lienthong.gateway.flow.FlowSupport.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.customs.CustomsXmlConnector;
import vn.lienthong.connectors.edxml.EdxmlConnector;
import vn.lienthong.connectors.police.PoliceCaseJsonConnector;
import vn.lienthong.connectors.sbv.SbvFreezeXmlConnector;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.SignedReceipts;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * Agencies in their own formats, through the gateway on real servers and the real registry
 * (config/agencies.yaml): customs XML to police JSON, a police freeze to the State Bank's XML and its
 * report back, a tax CSV batch with its result file, a province's edXML to market surveillance.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class NativeFormatsFlowTest {

    /** RFC 3339 with seconds always written (OffsetDateTime.toString drops ":00"). */
    private static final java.time.format.DateTimeFormatter RFC_3339_SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final MessageValidator VALIDATOR = new MessageValidator();

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", () -> "../config/agencies.yaml");
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Test
    void customsXmlOnJmsReachesThePoliceAsPoliceJsonOnKafka() throws Exception {
        ObjectNode notice = FlowSupport.notice("MOF.CUSTOMS", "MPS.C03");
        String id = notice.get("messageId").asText();

        FlowSupport.jmsSend("lienthong.MOF.CUSTOMS.in", "MOF.CUSTOMS", encode(new CustomsXmlConnector(), notice));

        List<String> receipt = FlowSupport.jmsReceiveAbout("lienthong.MOF.CUSTOMS.out", id, WITHIN);
        assertThat(receipt).hasSize(1);
        assertThat(FlowSupport.verifiedReceipt(port, receipt.get(0)).at("/payload/status").asText()).as(receipt.get(0))
                .isEqualTo("ACCEPTED");
        var records = FlowSupport.kafkaRecordsAbout("lienthong.MPS.C03.out", id, WITHIN);
        assertThat(records).hasSize(1);
        JsonNode police = json(records.get(0).value());
        assertThat(police.at("/thong_tin_chung/ma_thong_diep").asText()).isEqualTo(id);
        JsonNode canonical = decode(new PoliceCaseJsonConnector(), records.get(0).value());
        assertThat(canonical.at("/payload/caseRef").asText()).isEqualTo(notice.at("/payload/caseRef").asText());
    }

    @Test
    void aPoliceFreezeReachesTheStateBankAsBankXmlAndItsReportComesBackAsPoliceJson() throws Exception {
        ObjectNode request = (ObjectNode) json(FlowSupport.example("freeze.request/valid-freeze-cpc129.json"));
        String requestId = UUID.randomUUID().toString();
        request.put("messageId", requestId);
        request.put("createdAt", now());
        // A decision of its own: another test's FREEZE of the example's decision and account would make this one a conflict.
        ((ObjectNode) request.at("/payload/decision")).put("number", "NF-" + UUID.randomUUID().toString().substring(0, 8));
        FlowSupport.kafkaSend("lienthong.MPS.C03.in", "MPS.C03", encode(new PoliceCaseJsonConnector(), request));

        List<String> atBank = FlowSupport.jmsReceiveAbout("lienthong.SBV.out", requestId, WITHIN);
        assertThat(atBank).hasSize(1);
        assertThat(atBank.get(0)).startsWith("<?xml");
        JsonNode instruction = decode(new SbvFreezeXmlConnector(), atBank.get(0).getBytes(StandardCharsets.UTF_8));
        assertThat(instruction.at("/messageId").asText()).isEqualTo(requestId);
        assertThat(instruction.at("/payload/amountVnd").asLong()).isEqualTo(1_250_000_000L);

        ObjectNode report = (ObjectNode) json(FlowSupport.example("freeze.report/valid-partially-executed-freeze.json"));
        String reportId = UUID.randomUUID().toString();
        report.put("messageId", reportId);
        report.put("sender", "SBV");
        report.putArray("recipients").add("MPS.C03");
        report.put("inReplyTo", requestId);
        report.with("payload").put("request", requestId);
        report.put("createdAt", now());
        FlowSupport.jmsSend("lienthong.SBV.in", "SBV", encode(new SbvFreezeXmlConnector(), report));

        var atPolice = FlowSupport.kafkaRecordsAbout("lienthong.MPS.C03.out", reportId, WITHIN);
        assertThat(atPolice).hasSize(1);
        JsonNode delivered = decode(new PoliceCaseJsonConnector(), atPolice.get(0).value());
        assertThat(delivered.at("/type").asText()).isEqualTo("freeze.report");
        assertThat(delivered.at("/inReplyTo").asText()).isEqualTo(requestId);
    }

    @Test
    void thePoliceAccountQueryToTheStateBankIsAcceptedAndWaitsInTheBanksRestInbox() throws Exception {
        // The police connector's own example, as C03's system would send it (fresh id and dates).
        ObjectNode query = (ObjectNode) json(resource(
                "formats/police-case-json/examples/info.request-c03-account-transactions.json"));
        String id = UUID.randomUUID().toString();
        ObjectNode header = query.with("thong_tin_chung");
        header.put("ma_thong_diep", id);
        header.put("thoi_gian_tao", now());
        header.put("han_xu_ly", OffsetDateTime.now(ZoneOffset.ofHours(7)).plusDays(5).format(RFC_3339_SECONDS));
        FlowSupport.kafkaSend("lienthong.MPS.C03.in", "MPS.C03", FlowSupport.bytes(query));

        var receipt = FlowSupport.kafkaRecordsAbout("lienthong.MPS.C03.out", id, WITHIN);
        assertThat(receipt).hasSize(1);
        assertThat(FlowSupport.verifiedReceipt(port, new String(receipt.get(0).value(), StandardCharsets.UTF_8))
                .at("/payload/status").asText()).isEqualTo("ACCEPTED");
        // sbv-freeze-xml carries only the freeze types: the query waits in SBV's REST inbox, canonical.
        JsonNode[] item = new JsonNode[1];
        await().atMost(WITHIN).until(() -> {
            for (JsonNode i : FlowSupport.get(port, "/api/v1/inbox?limit=500", "SBV").json().at("/items")) {
                if (i.at("/messageId").asText().equals(id)) {
                    item[0] = i;
                    return true;
                }
            }
            return false;
        });
        assertThat(item[0].at("/type").asText()).isEqualTo("info.request");
    }

    @Test
    void aTaxCsvBatchOverSftpGetsItsResultCsvInTheOutbox() throws Exception {
        FlowSupport.taxExampleRequests(port);
        byte[] batch;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("formats/tax-csv/info.response-example.csv")) {
            batch = in.readAllBytes();
        }
        // The batch's trailer says how many records it holds (a quoted field may span lines).
        String trailer = new String(batch, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("#TRAILER,"))
                .findFirst().orElseThrow();
        int rows = Integer.parseInt(trailer.split(",")[1]);
        try (TestStack.Sftp tax = TestStack.get().sftp("mof-tax")) {
            String name = "batch-" + UUID.randomUUID() + ".csv";
            var done = FlowSupport.filesDone(camel, "ingress-sftp-MOF.TAX", name);
            tax.upload("inbox/" + name, batch);
            String result = name.replace(".csv", ".result.csv");
            // The input is moved once the route is done, right after its result files are written.
            assertThat(FlowSupport.done(done, WITHIN)).as("the SFTP route is done with " + name).isTrue();
            assertThat(tax.list("outbox")).contains(result);
            assertThat(tax.list("done")).contains(name, result);
            assertThat(tax.list("inbox")).doesNotContain(name);
            List<String> lines = tax.readString("outbox/" + result).lines().toList();
            List<String> data = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (!line.startsWith("#TRAILER") && !line.isBlank()) {
                    data.add(line);
                }
            }
            assertThat(data).hasSize(rows);
            // A first run accepts every row; the same batch again (same batch id) is all duplicates.
            assertThat(data).allSatisfy(line -> assertThat(line).containsAnyOf(",ACCEPTED,", ",DUPLICATE,"));
            assertThat(lines.get(lines.size() - 1)).startsWith("#TRAILER," + rows + ",");
            // Beside the result file (written first), the signed receipts: one verified JWS per row, in order.
            assertThat(tax.list("done")).contains(result + ".jws");
            List<String> signed = tax.readString("outbox/" + result + ".jws").lines().toList();
            assertThat(signed).hasSize(rows);
            var keys = SignedReceipts.keys(port);
            for (int i = 0; i < rows; i++) {
                JsonNode receipt = SignedReceipts.verified(keys, signed.get(i));
                assertThat(receipt.at("/payload/status").asText()).isEqualTo("ACCEPTED");
                assertThat(data.get(i)).as("the row of the same receipt").endsWith(receipt.at("/messageId").asText());
            }
        }
    }

    /**
     * A batch of several journal batches is recorded chunk by chunk and its result file streamed
     * (the gateway's journal batch is 500 inputs); a batch whose trailer does not match records
     * nothing and gets one FILE row.
     */
    @Test
    void aLargeTaxBatchIsRecordedInChunksAndABrokenOneRecordsNothing() throws Exception {
        FlowSupport.taxExampleRequests(port);
        int rows = 1_234;
        String batchId = "TAX-FLOW-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] good = taxBatch(batchId, rows, false);
        String badId = batchId + "-BAD";
        byte[] bad = taxBatch(badId, 700, true);
        try (TestStack.Sftp tax = TestStack.get().sftp("mof-tax")) {
            var done = FlowSupport.filesDone(camel, "ingress-sftp-MOF.TAX", batchId + ".csv", badId + ".csv");
            tax.upload("inbox/" + batchId + ".csv", good);
            tax.upload("inbox/" + badId + ".csv", bad);
            String goodResult = batchId + ".result.csv";
            String badResult = badId + ".result.csv";
            assertThat(FlowSupport.done(done, WITHIN)).as("the SFTP route is done with both batches").isTrue();
            assertThat(tax.list("done")).contains(batchId + ".csv", goodResult);
            assertThat(tax.list("error")).contains(badId + ".csv", badResult);

            List<String> lines = tax.readString("outbox/" + goodResult).lines().toList();
            assertThat(lines).hasSize(rows + 2);
            for (int row = 1; row <= rows; row++) {
                assertThat(lines.get(row)).startsWith(row + "," + vn.lienthong.connectors.tax.TaxCsvConnector.messageIdOf(
                        batchId, row) + ",ACCEPTED,");
            }
            assertThat(lines.get(rows + 1)).startsWith("#TRAILER," + rows + ",");
            assertThat(FlowSupport.get(port, "/api/v1/messages/"
                    + vn.lienthong.connectors.tax.TaxCsvConnector.messageIdOf(batchId, rows), "PROV.79").status()).isEqualTo(200);

            List<String> refused = tax.readString("outbox/" + badResult).lines().toList();
            assertThat(refused).hasSize(3);
            assertThat(refused.get(1)).startsWith("FILE,,FILE_REJECTED,DECODE_FAILED,");
            for (int row : new int[] {1, 700}) {
                assertThat(FlowSupport.get(port, "/api/v1/messages/"
                        + vn.lienthong.connectors.tax.TaxCsvConnector.messageIdOf(badId, row), "PROV.79").status())
                        .isEqualTo(404);
            }
        }
    }

    /** A tax info.response batch of NO_DATA rows for PROV.79, with a right (or wrong) trailer. */
    private static byte[] taxBatch(String batchId, int rows, boolean wrongTrailer) throws Exception {
        String example;
        try (InputStream in = NativeFormatsFlowTest.class.getClassLoader()
                .getResourceAsStream("formats/tax-csv/info.response-example.csv")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String header = example.substring(0, example.indexOf("\r\n") + 2);
        String row = example.lines().filter(l -> l.contains(",PROV.79,")).findFirst().orElseThrow()
                .replace("TAX-20261119-0001", batchId) + "\r\n";
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < rows; i++) {
            data.writeBytes(row.getBytes(StandardCharsets.UTF_8));
        }
        byte[] rowsBytes = data.toByteArray();
        String hash = vn.lienthong.gateway.ingress.IngressPipeline.sha256(rowsBytes);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        file.writeBytes(rowsBytes);
        file.writeBytes(("#TRAILER," + (wrongTrailer ? rows + 1 : rows) + "," + hash + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return file.toByteArray();
    }

    @Test
    void aProvincesEdxmlOverRestReachesMarketSurveillanceAsCanonicalJson() throws Exception {
        ObjectNode notice = FlowSupport.notice("PROV.37", "MOIT.DMS");
        String id = notice.get("messageId").asText();
        byte[] edxml = encode(new EdxmlConnector(), notice);

        FlowSupport.Response submitted = postXml(edxml);

        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode[] item = new JsonNode[1];
        await().atMost(WITHIN).until(() -> {
            for (JsonNode i : FlowSupport.get(port, "/api/v1/inbox?limit=500", "MOIT.DMS").json().at("/items")) {
                if (i.at("/messageId").asText().equals(id)) {
                    item[0] = i;
                    return true;
                }
            }
            return false;
        });
        assertThat(item[0].at("/mediaType").asText()).isEqualTo("application/json");
        assertThat(item[0].at("/message/sender").asText()).isEqualTo("PROV.37");
        assertThat(item[0].at("/message/payload/caseRef").asText()).isEqualTo(notice.at("/payload/caseRef").asText());
    }

    @Test
    void aProvincesPlainEdxmlDocumentBecomesAViolationNoticeAndItsErrorsNameTheElement() throws Exception {
        String document = new String(resource("formats/edxml/examples/plain/thong-bao-vi-pham-ninh-binh.edxml"),
                StandardCharsets.UTF_8)
                // Addressed to market surveillance by its agency code (the registry's names work too).
                .replaceFirst("(?s)<edXML:To>.*</edXML:To>", "<edXML:To><edXML:OrganId/><edXML:OrganName>MOIT.DMS"
                        + "</edXML:OrganName></edXML:To>")
                .replace("000.00.00.H41,2026/11/18,112/TB-QLTT", UUID.randomUUID().toString());
        String id = document.replaceAll("(?s).*<edXML:DocumentId>([^<]*)</edXML:DocumentId>.*", "$1");

        FlowSupport.Response accepted = postXml(document.getBytes(StandardCharsets.UTF_8));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        await().atMost(WITHIN).until(() -> {
            for (JsonNode i : FlowSupport.get(port, "/api/v1/inbox?limit=500", "MOIT.DMS").json().at("/items")) {
                if (i.at("/messageId").asText().equals(id)) {
                    return i.at("/message/type").asText().equals("violation.notice")
                            && i.at("/message/payload/caseRef").asText().equals("112/TB-QLTT");
                }
            }
            return false;
        });

        String wrongCccd = document.replace(id, UUID.randomUUID().toString())
                .replace("<lt:Cccd>035190004321</lt:Cccd>", "<lt:Cccd>03519000432</lt:Cccd>");
        FlowSupport.Response refused = postXml(wrongCccd.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonNode error = json(refused.body()).at("/payload/errors/0");
        assertThat(error.at("/code").asText()).isEqualTo("INVALID_CCCD");
        assertThat(error.at("/pointer").asText()).isEqualTo("/payload/subjects/0/cccd");
        assertThat(error.at("/message").asText()).startsWith("at /edXML/edXMLEnvelope/edXMLHeader/MessageHeader"
                + "/ViolationFacts/Person/Cccd (canonical /payload/subjects/0/cccd): ");
    }

    @Test
    void aCustomsXmlErrorNamesTheElementInTheReceipt() throws Exception {
        ObjectNode notice = FlowSupport.notice("MOF.CUSTOMS", "MPS.C03");
        String xml = new String(encode(new CustomsXmlConnector(), notice), StandardCharsets.UTF_8);
        String taxCode = "<MaSoThue>0105123457</MaSoThue>";
        assertThat(xml).contains(taxCode);

        // A wrong check digit: well-formed for the XSD, refused by the validator.
        byte[] wrong = xml.replace(taxCode, "<MaSoThue>0105123450</MaSoThue>").getBytes(StandardCharsets.UTF_8);
        FlowSupport.jmsSend("lienthong.MOF.CUSTOMS.in", "MOF.CUSTOMS", wrong);

        // The receipt of a refused native input names it by the SHA-256 of its bytes.
        List<String> receipt = FlowSupport.jmsReceiveAbout("lienthong.MOF.CUSTOMS.out",
                vn.lienthong.gateway.ingress.IngressPipeline.sha256(wrong), WITHIN);
        assertThat(receipt).hasSize(1);
        JsonNode r = FlowSupport.verifiedReceipt(port, receipt.get(0));
        assertThat(r.at("/payload/status").asText()).as(r.toString()).isEqualTo("REJECTED");
        JsonNode error = r.at("/payload/errors/0");
        assertThat(error.at("/pointer").asText()).as(r.toString()).isEqualTo("/payload/subjects/1/taxCode");
        assertThat(error.at("/message").asText()).startsWith(
                "at /ThongBaoViPham/DanhSachDoiTuong/DoiTuong[2]/ToChuc/MaSoThue (canonical /payload/subjects/1/taxCode): ");
    }

    private static byte[] resource(String path) throws Exception {
        try (InputStream in = NativeFormatsFlowTest.class.getClassLoader().getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }

    private FlowSupport.Response postXml(byte[] body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .header("Authorization", vn.lienthong.gateway.testsupport.Tokens.bearer("PROV.37"))
                .header("Content-Type", "application/xml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new FlowSupport.Response(response.statusCode(), response.body(), response.headers());
    }

    /** The agency's own bytes for a canonical message, as its system would send them. */
    private static byte[] encode(Connector connector, ObjectNode canonical) {
        ValidationResult result = VALIDATOR.validate(FlowSupport.bytes(canonical));
        assertThat(result.errors()).as("the test message itself").isEmpty();
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        return connector.encode(valid.message(), FlowSupport.bytes(valid.normalized()));
    }

    private static JsonNode decode(Connector connector, byte[] bytes) throws Exception {
        List<Decoded> items = new ArrayList<>();
        connector.decode(new ByteArrayInputStream(bytes), "test", items::add);
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).isInstanceOf(Decoded.Canonical.class);
        return json(((Decoded.Canonical) items.get(0)).json());
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339_SECONDS);
    }
}
