package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.json;
import static vn.lienthong.gateway.flow.FlowSupport.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.admin.OperatorSupport;
import vn.lienthong.gateway.attachments.GeneratedFile;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * Attachments by claim check through the whole gateway on real servers (issue 15, points 2 and 6):
 * a 50 MB case file, made on the fly and never held whole by the test, uploaded over REST,
 * referenced by a {@code case.transfer}, delivered to the police on Kafka with a signed download
 * link, and downloaded by the recipient (by the link, and with its token) with the same SHA-256;
 * an agency that is no party gets nothing, a person reads it only with a reason (restricted), every
 * download is audited. A tampered file is refused with {@code ATTACHMENT_MISMATCH} (at upload, and
 * in a message), a file never uploaded or uploaded by another agency with
 * {@code ATTACHMENT_NOT_STORED}, and nothing of a refused message is recorded or delivered. A 50 MB
 * case file dropped on SFTP beside its message is taken with it and delivered, and sent on to an
 * SFTP recipient beside the delivered message. A case file full of personal identifiers is stored
 * sealed: the raw stored bytes hold none of them, the store opens them clear. The
 * heap's peak during the transfer is printed (the test JVM's -Xmx bounds it; not asserted). The same
 * tests run on the S3 store in {@link S3AttachmentFlowTest}.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AttachmentFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** 50 MB through an SFTP server on a machine shared by several builds: an upper bound, not a target. */
    private static final Duration FILES_WITHIN = Duration.ofMinutes(5);
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        // This test uploads what its messages name: the check is on, as in production.
        registry.add("lienthong.attachments.require-stored", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    vn.lienthong.gateway.attachments.AttachmentStore store;

    @org.springframework.beans.factory.annotation.Value("${lienthong.attachments.folder}")
    String folder;

    /** The stored object of a blob as the store keeps it (here: the file under the data folder). */
    byte[] rawStored(String sha256) throws IOException {
        return java.nio.file.Files.readAllBytes(java.nio.file.Path.of(folder).resolve(sha256.substring(0, 2)).resolve(sha256));
    }

    @Test
    void aCaseFileFullOfPersonalIdentifiersIsStoredSealedAndReadBackClear() throws IOException {
        List<String> identifiers = List.of("079204012345", "0312345678", "19036789012345");
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < 600_000; line++) {
            text.append("Dòng ").append(line).append(": bị can Trần Thị B, CCCD ").append(identifiers.get(0))
                    .append(", MST ").append(identifiers.get(1)).append(", STK ").append(identifiers.get(2)).append('\n');
        }
        byte[] clear = text.toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/attachments?name=ban-khai.txt")).header("Authorization", Tokens.bearer("MOIT.DMS"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(clear)).build();
        HttpResponse<String> uploaded;
        try {
            uploaded = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String sha256 = json(uploaded.body()).at("/sha256").asText();
        assertThat(sha256).isEqualTo(GeneratedFile.sha256(new java.io.ByteArrayInputStream(clear)));

        String raw = new String(rawStored(sha256), StandardCharsets.ISO_8859_1);
        for (String identifier : identifiers) {
            assertThat(raw).as("the stored bytes hold no identifier in clear").doesNotContain(identifier);
        }
        assertThat(db.queryForObject("select data_key_id from attachment_upload where agency = 'MOIT.DMS' and sha256 = ?",
                String.class, sha256)).as("the key that sealed it, recorded").isNotBlank();
        try (InputStream in = store.open(sha256)) {
            assertThat(in.readAllBytes()).isEqualTo(clear);
        }
    }

    @Test
    void aFiftyMegabyteCaseFileGoesThroughRestAndItsRecipientDownloadsTheSameBytes() {
        GeneratedFile file = GeneratedFile.of(GeneratedFile.FIFTY_MB, 1515);
        String sha256 = file.sha256();
        // The same file may have been uploaded by another run on this database (S3AttachmentFlowTest): count from here.
        int storedBefore = db.queryForObject("select count(*) from audit where action = 'ATTACHMENT_STORED'"
                + " and subject = ? and actor = 'MOIT.DMS'", Integer.class, "att:" + sha256);
        resetHeapPeaks();

        HttpResponse<String> uploaded = upload("MOIT.DMS", "ho-so-vu-an 1187.pdf", file, sha256);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        JsonNode entry = json(uploaded.body());
        assertThat(entry.at("/sha256").asText()).isEqualTo(sha256);
        assertThat(entry.at("/size").asLong()).isEqualTo(GeneratedFile.FIFTY_MB);
        assertThat(entry.at("/mediaType").asText()).isEqualTo("application/pdf");
        assertThat(entry.at("/ref").asText()).isEqualTo("att:" + sha256 + "/ho-so-vu-an 1187.pdf");

        ObjectNode transfer = caseTransfer("MOIT.DMS", entry);
        String id = transfer.get("messageId").asText();
        FlowSupport.Response submitted = post(port, "/api/v1/messages", "MOIT.DMS", bytes(transfer));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);

        // Delivered to the police on Kafka: the attachment's ref is the recipient's signed download link.
        List<ConsumerRecord<byte[], byte[]>> onKafka = FlowSupport.kafkaRecordsAbout("flow.MPS.C03.out", id, WITHIN);
        assertThat(onKafka).hasSize(1);
        JsonNode delivered = json(onKafka.get(0).value());
        assertThat(delivered.at("/attachments/0/sha256").asText()).isEqualTo(sha256);
        String link = delivered.at("/attachments/0/ref").asText();
        assertThat(link).startsWith("http://127.0.0.1:" + port + "/api/v1/attachments/" + sha256 + "?sig=");

        HttpResponse<InputStream> byLink = download(link, null);
        assertThat(byLink.statusCode()).isEqualTo(200);
        assertThat(byLink.headers().firstValue("Lienthong-Attachment-Sha256")).hasValue(sha256);
        assertThat(byLink.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/pdf"));
        assertThat(GeneratedFile.sha256(byLink.body())).as("the bytes the police downloaded by the link").isEqualTo(sha256);

        String byId = "http://127.0.0.1:" + port + "/api/v1/messages/" + id + "/attachments/" + sha256;
        HttpResponse<InputStream> byToken = download(byId, Tokens.bearer("MPS.C03"));
        assertThat(byToken.statusCode()).isEqualTo(200);
        assertThat(GeneratedFile.sha256(byToken.body())).as("the bytes the police downloaded with its token").isEqualTo(sha256);
        System.out.printf("attachments: peak heap during the 50 MB upload, delivery and two downloads: %,d MB"
                + " (max %,d MB)%n", heapPeaks() >> 20, Runtime.getRuntime().maxMemory() >> 20);

        // No party, no file; a link altered or moved to another file does not open.
        assertThat(status(download(byId, Tokens.bearer("MOF.CUSTOMS")))).isEqualTo(404);
        assertThat(status(download(byId, null))).isEqualTo(401);
        assertThat(status(download(link.substring(0, link.length() - 4) + "AAAA", null))).isEqualTo(403);
        String otherFile = "0".repeat(64);
        assertThat(status(download(link.replace(sha256, otherFile), null))).isEqualTo(403);

        // People: a restricted message's file only with a reason, audited with the person.
        String admin = "http://127.0.0.1:" + port + "/api/v1/admin/messages/" + id + "/attachments/" + sha256;
        HttpResponse<InputStream> noReason = download(admin, OperatorSupport.auditor());
        assertThat(noReason.statusCode()).isEqualTo(403);
        assertThat(text(noReason)).contains("REASON_REQUIRED");
        HttpResponse<InputStream> withReason = download(admin + "?reason="
                + URLEncoder.encode("hồ sơ vụ án 1187, kiểm tra", StandardCharsets.UTF_8), OperatorSupport.auditor());
        assertThat(withReason.statusCode()).isEqualTo(200);
        assertThat(GeneratedFile.sha256(withReason.body())).isEqualTo(sha256);

        List<Map<String, Object>> downloads = db.queryForList("select actor, detail->>'via' as via,"
                + " detail->>'reason' as reason from audit where action = 'ATTACHMENT_DOWNLOADED' and subject = ?"
                + " order by seq", id);
        assertThat(downloads).extracting(d -> d.get("actor") + "/" + d.get("via"))
                .containsExactly("MPS.C03/LINK", "MPS.C03/TOKEN", "person:auditor/OPERATOR");
        assertThat(downloads.get(2).get("reason")).isEqualTo("hồ sơ vụ án 1187, kiểm tra");
        assertThat(db.queryForObject("select count(*) from audit where action = 'ATTACHMENT_STORED' and subject = ?"
                + " and actor = 'MOIT.DMS'", Integer.class, "att:" + sha256)).isEqualTo(storedBefore + 1);
    }

    @Test
    void aTamperedCaseFileIsRefusedWithItsCodeAndNothingOfItIsRecorded() {
        GeneratedFile original = GeneratedFile.of(GeneratedFile.FIFTY_MB, 2026);
        String sha256 = original.sha256();
        GeneratedFile tampered = original.tampered(GeneratedFile.FIFTY_MB / 2);

        // Declared at upload: the bytes received are not the file the sender hashed.
        HttpResponse<String> refused = upload("MOIT.DMS", "ho-so.pdf", tampered, sha256);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(json(refused.body()).at("/code").asText()).isEqualTo("ATTACHMENT_MISMATCH");
        assertThat(db.queryForObject("select count(*) from attachment_upload where agency = 'MOIT.DMS' and sha256 = ?",
                Integer.class, tampered.sha256())).as("nothing recorded for the tampered upload").isZero();

        // Uploaded without a declared hash, then claimed as the original in the message.
        GeneratedFile small = GeneratedFile.of(1 << 20, 7);
        GeneratedFile smallTampered = small.tampered(4096);
        JsonNode stored = json(upload("MOIT.DMS", "bien-ban.pdf", smallTampered, null).body());
        ObjectNode claimed = ((ObjectNode) stored.deepCopy()).put("sha256", small.sha256());
        assertRefused(caseTransfer("MOIT.DMS", claimed), "MOIT.DMS", "ATTACHMENT_MISMATCH", "/attachments/0/sha256");

        // The right hash and file, the wrong size.
        ObjectNode resized = ((ObjectNode) stored.deepCopy()).put("size", (1 << 20) + 1);
        assertRefused(caseTransfer("MOIT.DMS", resized), "MOIT.DMS", "ATTACHMENT_MISMATCH", "/attachments/0/size");

        // A file nobody uploaded, and a file another agency uploaded.
        String never = GeneratedFile.of(1000, 99).sha256();
        ObjectNode missing = ((ObjectNode) stored.deepCopy()).put("sha256", never).put("ref", "att:" + never + "/x.pdf");
        assertRefused(caseTransfer("MOIT.DMS", missing), "MOIT.DMS", "ATTACHMENT_NOT_STORED", "/attachments/0");
        assertRefused(caseTransfer("PROV.37", stored), "PROV.37", "ATTACHMENT_NOT_STORED", "/attachments/0");

        // The same message with the file as uploaded goes through.
        FlowSupport.Response accepted = post(port, "/api/v1/messages", "MOIT.DMS", bytes(caseTransfer("MOIT.DMS", stored)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void aFiftyMegabyteCaseFileDroppedBesideItsMessageOnSftpGoesThroughAndIsDeliveredBesideOnSftp() throws IOException {
        GeneratedFile file = GeneratedFile.of(GeneratedFile.FIFTY_MB, 37);
        String sha256 = file.sha256();
        String name = "ho-so-vu-viec.pdf";
        ObjectNode entry = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        entry.put("name", name).put("mediaType", "application/pdf").put("size", file.size()).put("sha256", sha256)
                .put("ref", "att:" + sha256 + "/" + name);
        ObjectNode transfer = caseTransfer("PROV.37", entry);
        String id = transfer.get("messageId").asText();
        String messageFile = "case-" + id + ".json";

        try (TestStack.Sftp province = TestStack.get().sftp("prov-37")) {
            // The attachment first, under a temporary name renamed when complete; the message file last.
            String folder = "inbox/" + messageFile + ".attachments";
            province.client().mkdir(folder);
            try (InputStream in = file.open(); OutputStream out = province.client().write(folder + "/." + name + ".part")) {
                in.transferTo(out);
            }
            province.client().rename(folder + "/." + name + ".part", folder + "/" + name);
            province.upload("inbox/" + messageFile, bytes(transfer));

            await().atMost(FILES_WITHIN).until(() -> province.list("done").contains(messageFile)
                    || province.list("error").contains(messageFile));
            assertThat(province.list("done")).as(() -> "refused: " + province.readString("error/" + messageFile
                    + ".receipt.json")).contains(messageFile);
            assertThat(province.list("inbox")).as("the attachments' folder is taken with the message")
                    .doesNotContain(messageFile, messageFile + ".attachments");
        }
        List<ConsumerRecord<byte[], byte[]>> onKafka = FlowSupport.kafkaRecordsAbout("flow.MPS.C03.out", id, FILES_WITHIN);
        assertThat(onKafka).hasSize(1);
        HttpResponse<InputStream> byLink = download(json(onKafka.get(0).value()).at("/attachments/0/ref").asText(), null);
        assertThat(byLink.statusCode()).isEqualTo(200);
        assertThat(GeneratedFile.sha256(byLink.body())).as("the police's copy of the file dropped on SFTP").isEqualTo(sha256);

        // The province, now holding the file, sends it to the tax department, which reads it beside the
        // delivered message in its SFTP outbox.
        ObjectNode notice = FlowSupport.notice("PROV.37", "MOF.TAX");
        notice.putArray("attachments").add(entry);
        ArrayNode evidence = ((ObjectNode) notice.get("payload")).putArray("evidence");
        evidence.addObject().put("description", "Hồ sơ vụ việc").put("attachment", name);
        String noticeId = notice.get("messageId").asText();
        FlowSupport.Response accepted = post(port, "/api/v1/messages", "PROV.37", bytes(notice));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        try (TestStack.Sftp tax = TestStack.get().sftp("mof-tax")) {
            String delivered = "violation.notice-" + noticeId + ".json";
            await().atMost(FILES_WITHIN).until(() -> tax.list("outbox").contains(delivered));
            assertThat(tax.list("outbox/" + delivered + ".attachments")).containsExactly(name);
            try (InputStream in = tax.client().read("outbox/" + delivered + ".attachments/" + name)) {
                assertThat(GeneratedFile.sha256(in)).as("the tax department's copy beside the message").isEqualTo(sha256);
            }
        }
    }

    /** Refused with the code at the pointer, quarantined, and neither recorded nor delivered. */
    private void assertRefused(ObjectNode message, String sender, String code, String pointer) {
        String id = message.get("messageId").asText();
        FlowSupport.Response response = post(port, "/api/v1/messages", sender, bytes(message));
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        JsonNode error = response.json().at("/payload/errors/0");
        assertThat(error.at("/code").asText()).as(response.body()).isEqualTo(code);
        assertThat(error.at("/pointer").asText()).isEqualTo(pointer);
        assertThat(db.queryForObject("select count(*) from quarantine where message_id = ?::uuid", Integer.class, id))
                .isEqualTo(1);
        assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class, id))
                .isZero();
    }

    /** A fresh case.transfer from the bundled example, its case file the one attachment given. */
    static ObjectNode caseTransfer(String sender, JsonNode attachment) {
        ObjectNode transfer = (ObjectNode) json(FlowSupport.example("case.transfer/valid-counterfeit-cosmetics-to-c03.json"));
        transfer.put("messageId", UUID.randomUUID().toString());
        transfer.put("sender", sender);
        transfer.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339));
        transfer.putArray("attachments").add(attachment.deepCopy());
        ((ObjectNode) transfer.get("payload")).putArray("caseFile").add(attachment.get("name").asText());
        return transfer;
    }

    /** Uploads a generated file as the agency, streamed with its length; {@code sha256} declared unless null. */
    private HttpResponse<String> upload(String agency, String name, GeneratedFile file, String sha256) {
        String query = "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                + (sha256 == null ? "" : "&sha256=" + sha256);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/attachments" + query))
                .header("Authorization", Tokens.bearer(agency)).header("Content-Type", "application/pdf")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(file::open),
                        file.size()))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET whose body is read as a stream (never whole); with an Authorization value unless null. */
    private static HttpResponse<InputStream> download(String url, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int status(HttpResponse<InputStream> response) {
        text(response);
        return response.statusCode();
    }

    private static String text(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void resetHeapPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peaks since the last reset, in bytes. */
    private static long heapPeaks() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }
}
