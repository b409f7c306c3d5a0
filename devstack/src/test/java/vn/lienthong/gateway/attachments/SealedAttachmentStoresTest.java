package vn.lienthong.gateway.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.KeyGenerator;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.atrest.DataKeys;
import vn.lienthong.gateway.atrest.KeyEncryptionKeys;
import vn.lienthong.gateway.atrest.Retention;
import vn.lienthong.gateway.atrest.StreamCipher;
import vn.lienthong.gateway.atrest.TinkStreamCipher;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.testsupport.S3Server;

/**
 * Attachments sealed at rest in both stores, on real servers (PostgreSQL for the data keys, S3Proxy
 * for the S3 store): the raw file under the data folder and the raw S3 object hold no CCCD, tax
 * code or account number in clear; downloads return the clear bytes with their SHA-256; altered
 * stored bytes fail the read; after a key rotation old and new attachments both open; a retention
 * purge of the attachment scope shreds the old key and deletes the blobs it sealed.
 */
class SealedAttachmentStoresTest {

    /** A CCCD (12 digits), a tax code and a bank account number, as a case file may carry them. */
    private static final List<String> IDENTIFIERS = List.of("079204012345", "0312345678", "19036789012345");
    private static final Duration ROTATION = Duration.ofDays(30);
    private static final String PASSWORD = "test-attachments-at-rest";

    private DataSource ds;
    private JdbcTemplate db;
    private Path dir;
    private Path keyStore;
    private Instant now;
    private S3Client s3;
    private String bucket;

    @BeforeEach
    void setUp() throws IOException {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        db.update("delete from data_key");
        db.update("delete from attachment_upload");
        dir = Path.of("target").toAbsolutePath().resolve("sealed-attachments-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
        keyStore = dir.resolve("keys.p12");
        now = Instant.now();
        s3 = S3Server.shared().client();
        bucket = "sealed-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void storedAttachmentsHoldNoIdentifierInClearOpenAfterRotationAndGoWithTheirShreddedKey() throws Exception {
        KeyEncryptionKeys first = KeyEncryptionKeys.configured(keyStore.toString(), PASSWORD, "", true);
        DataKeys keys = new DataKeys(ds, first, ROTATION, Clock.fixed(now, ZoneOffset.UTC));
        StreamCipher cipher = new TinkStreamCipher(keys);
        FileAttachmentStore files = new FileAttachmentStore(dir.resolve("attachments"), cipher);
        S3AttachmentStore objects = new S3AttachmentStore(s3, bucket, "attachments/", cipher).createBucketIfAbsent();

        // Larger than one S3 part, so the S3 store uploads it in parts; many segments of the cipher.
        byte[] caseFile = caseFile("Biên bản vụ việc 1187", 9 * 1024 * 1024);
        String sha256 = GeneratedFile.sha256(new ByteArrayInputStream(caseFile));
        AttachmentStore.Stored inFile = files.put(new ByteArrayInputStream(caseFile), caseFile.length);
        AttachmentStore.Stored inS3 = objects.put(new ByteArrayInputStream(caseFile), caseFile.length);
        for (AttachmentStore.Stored stored : List.of(inFile, inS3)) {
            assertThat(stored.sha256()).as("the name stays the clear file's SHA-256").isEqualTo(sha256);
            assertThat(stored.size()).isEqualTo(caseFile.length);
            assertThat(stored.keyId()).as("sealed under the attachment data key")
                    .isEqualTo(db.queryForObject("select id from data_key where scope = ?", String.class,
                            BodyCipher.ATTACHMENT));
        }

        // The raw bytes: the file under the data folder and the S3 object.
        byte[] rawFile = Files.readAllBytes(dir.resolve("attachments").resolve(sha256.substring(0, 2)).resolve(sha256));
        byte[] rawObject = s3.getObjectAsBytes(g -> g.bucket(bucket).key("attachments/" + sha256.substring(0, 2) + "/"
                + sha256)).asByteArray();
        for (byte[] raw : List.of(rawFile, rawObject)) {
            assertThat(raw.length).isGreaterThan(caseFile.length);
            String latin = new String(raw, StandardCharsets.ISO_8859_1);
            for (String identifier : IDENTIFIERS) {
                assertThat(latin).doesNotContain(identifier);
            }
            assertThat(latin).as("the case file's text").doesNotContain(
                    new String("Biên bản vụ việc".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }

        // Read back: the clear bytes, their size and hash.
        for (AttachmentStore store : List.<AttachmentStore>of(files, objects)) {
            assertThat(store.size(sha256)).hasValue((long) caseFile.length);
            try (InputStream in = store.open(sha256)) {
                assertThat(in.readAllBytes()).isEqualTo(caseFile);
            }
        }

        // A byte of the stored copy altered: the read fails, it does not return other bytes.
        Path small = dir.resolve("tamper");
        FileAttachmentStore tamperable = new FileAttachmentStore(small, cipher);
        byte[] note = caseFile("Ghi chú", 300_000);
        String noteSha = tamperable.put(new ByteArrayInputStream(note), note.length).sha256();
        Path noteFile = small.resolve(noteSha.substring(0, 2)).resolve(noteSha);
        byte[] altered = Files.readAllBytes(noteFile);
        altered[altered.length / 2] ^= 1;
        Files.write(noteFile, altered);
        assertThatThrownBy(() -> {
            try (InputStream in = tamperable.open(noteSha)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
        String noteKey = "attachments/" + noteSha.substring(0, 2) + "/" + noteSha;
        objects.put(new ByteArrayInputStream(note), note.length);
        s3.putObject(p -> p.bucket(bucket).key(noteKey), RequestBody.fromBytes(altered));
        assertThatThrownBy(() -> {
            try (InputStream in = objects.open(noteSha)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);

        JdbcAttachments uploads = new JdbcAttachments(ds, new DataSourceTransactionManager(ds));
        uploads.uploaded("MOIT.DMS", inFile);
        String oldKey = inFile.keyId();

        // Rotation: a new key-encryption key and the next period's data key. Nothing stored is rewritten;
        // old and new attachments both open.
        addKey("kek-2");
        KeyEncryptionKeys second = KeyEncryptionKeys.configured(keyStore.toString(), PASSWORD, "kek-2", false);
        Instant later = now.plus(ROTATION).plusSeconds(3600);
        DataKeys rotated = new DataKeys(ds, second, ROTATION, Clock.fixed(later, ZoneOffset.UTC));
        StreamCipher rotatedCipher = new TinkStreamCipher(rotated);
        FileAttachmentStore rotatedFiles = new FileAttachmentStore(dir.resolve("attachments"), rotatedCipher);
        S3AttachmentStore rotatedObjects = new S3AttachmentStore(s3, bucket, "attachments/", rotatedCipher);
        byte[] newer = caseFile("Quyết định xử phạt 42", 700_000);
        String newerSha = GeneratedFile.sha256(new ByteArrayInputStream(newer));
        AttachmentStore.Stored newerInFile = rotatedFiles.put(new ByteArrayInputStream(newer), newer.length);
        AttachmentStore.Stored newerInS3 = rotatedObjects.put(new ByteArrayInputStream(newer), newer.length);
        assertThat(newerInFile.keyId()).isNotEqualTo(oldKey).isEqualTo(newerInS3.keyId());
        assertThat(db.queryForList("select kek_alias from data_key where scope = ? order by created_at", String.class,
                BodyCipher.ATTACHMENT)).containsExactly(KeyEncryptionKeys.EMBEDDED_ALIAS, "kek-2");
        assertThat(Files.readAllBytes(dir.resolve("attachments").resolve(sha256.substring(0, 2)).resolve(sha256)))
                .as("the old attachment is not rewritten").isEqualTo(rawFile);
        for (AttachmentStore store : List.<AttachmentStore>of(rotatedFiles, rotatedObjects)) {
            try (InputStream in = store.open(sha256)) {
                assertThat(in.readAllBytes()).as("old, under its own key").isEqualTo(caseFile);
            }
            try (InputStream in = store.open(newerSha)) {
                assertThat(in.readAllBytes()).as("new, under the current key").isEqualTo(newer);
            }
        }
        uploads.uploaded("MPS.C03", newerInFile);
        assertThat(db.queryForList("select data_key_id from attachment_upload order by uploaded_at", String.class))
                .containsExactly(oldKey, newerInFile.keyId());

        // Retention of the attachment scope, 40 days on, 7 days kept: the first period's key is shredded, the
        // blobs it sealed deleted from the store; the new one stays.
        Retention retention = new Retention(ds, rotated, Map.of(BodyCipher.ATTACHMENT, Duration.ofDays(7)),
                Clock.fixed(now.plus(Duration.ofDays(40)), ZoneOffset.UTC))
                .onShredded((scope, ids) -> uploads.shredded().forEach(sha -> {
                    try {
                        rotatedFiles.delete(sha);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
        Retention.Report report = retention.purge();
        assertThat(report.shreddedKeys()).containsExactly(oldKey);
        assertThat(rotatedFiles.size(sha256)).isEmpty();
        assertThatThrownBy(() -> rotatedFiles.open(sha256)).isInstanceOf(NoSuchFileException.class);
        // A copy left elsewhere (the S3 object, a backup of the file) no longer opens: its key is gone.
        StreamCipher afterPurge = new TinkStreamCipher(new DataKeys(ds, second, ROTATION,
                Clock.fixed(now.plus(Duration.ofDays(40)), ZoneOffset.UTC)));
        assertThatThrownBy(() -> afterPurge.open(new ByteArrayInputStream(rawFile))).isInstanceOf(NoSuchFileException.class);
        try (InputStream in = rotatedFiles.open(newerSha)) {
            assertThat(in.readAllBytes()).isEqualTo(newer);
        }
        assertThat(db.queryForList("select data_key_id from attachment_upload", String.class))
                .containsExactly(newerInFile.keyId());
        objects.close();
    }

    @Test
    void aFileStoredInClearBeforeSealingStillOpensAndIsSealedWhenSentAgain() throws Exception {
        Path root = dir.resolve("legacy");
        FileAttachmentStore clear = new FileAttachmentStore(root);
        byte[] file = caseFile("Hồ sơ cũ", 100_000);
        AttachmentStore.Stored legacy = clear.put(new ByteArrayInputStream(file), file.length);
        assertThat(legacy.keyId()).isNull();

        KeyEncryptionKeys keks = KeyEncryptionKeys.configured(keyStore.toString(), PASSWORD, "", true);
        FileAttachmentStore sealed = new FileAttachmentStore(root,
                new TinkStreamCipher(new DataKeys(ds, keks, ROTATION, Clock.fixed(now, ZoneOffset.UTC))));
        assertThat(sealed.size(legacy.sha256())).hasValue((long) file.length);
        try (InputStream in = sealed.open(legacy.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(file);
        }
        AttachmentStore.Stored again = sealed.put(new ByteArrayInputStream(file), file.length);
        assertThat(again.keyId()).isNotNull();
        String raw = Files.readString(root.resolve(legacy.sha256().substring(0, 2)).resolve(legacy.sha256()),
                StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain(IDENTIFIERS.get(0));
        try (InputStream in = sealed.open(legacy.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(file);
        }
    }

    /** About {@code size} bytes of a case file's text, the identifiers in every line. */
    private static byte[] caseFile(String title, int size) {
        StringBuilder text = new StringBuilder(size + 200);
        int line = 0;
        while (text.length() < size) {
            text.append(title).append(", dòng ").append(line++).append(": ông Nguyễn Văn A, CCCD ").append(IDENTIFIERS.get(0))
                    .append(", mã số thuế ").append(IDENTIFIERS.get(1)).append(", số tài khoản ").append(IDENTIFIERS.get(2))
                    .append(" tại ngân hàng.\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void addKey(String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        ks.setEntry(alias, new KeyStore.SecretKeyEntry(generator.generateKey()),
                new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            ks.store(out, PASSWORD.toCharArray());
        }
    }
}
