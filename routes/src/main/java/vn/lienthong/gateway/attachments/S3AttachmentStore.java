package vn.lienthong.gateway.attachments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import vn.lienthong.gateway.atrest.StreamCipher;

/**
 * The attachment store in an S3-compatible object store (AWS S3, MinIO, Ceph, S3Proxy; path-style
 * requests so any of them works): object {@code <prefix><first two hex digits>/<sha256>}. An upload
 * is streamed to {@code <prefix>tmp/<uuid>} — one request when it fits one part, else a multipart
 * upload of {@value #PART_BYTES}-byte parts, the only buffer held — then copied under its SHA-256
 * (known only at the end) and the temporary object deleted; a reader never sees half an object.
 * With a {@link StreamCipher} the objects hold only sealed bytes.
 */
public final class S3AttachmentStore implements AttachmentStore, AutoCloseable {

    /** The part size of multipart uploads (S3's minimum is 5 MiB): the memory one upload holds. */
    static final int PART_BYTES = 8 * 1024 * 1024;
    /** The largest object one CopyObject may copy: the most a stored attachment may weigh here. */
    public static final long MAX_OBJECT_BYTES = 5L * 1024 * 1024 * 1024;

    private static final int BUFFER = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final StreamCipher cipher;

    /** A store in {@code bucket} of {@code s3}, object names after {@code prefix} ("" or ending in "/"). */
    public S3AttachmentStore(S3Client s3, String bucket, String prefix, StreamCipher cipher) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = prefix == null ? "" : prefix;
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /**
     * A client of an S3-compatible endpoint with path-style requests. Blank keys: the SDK's default
     * chain (environment {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profile, instance role).
     */
    public static S3Client client(String endpoint, String region, String accessKey, String secretKey) {
        AwsCredentialsProvider credentials = accessKey == null || accessKey.isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        var builder = S3Client.builder()
                .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                // Checksums only where S3 requires them: many S3-compatible servers refuse the SDK's
                // newer default (trailing CRC checksums in aws-chunked bodies).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder());
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /** Creates the bucket unless it exists (for {@code lienthong.attachments.s3.create-bucket}); returns this. */
    public S3AttachmentStore createBucketIfAbsent() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
        return this;
    }

    @Override
    public Stored put(InputStream in, long maxBytes) throws IOException {
        String temp = prefix + "tmp/" + UUID.randomUUID();
        MessageDigest sha256 = sha256();
        long size = 0;
        Upload upload = new Upload(temp);
        StreamCipher.Sealing sealing;
        try {
            sealing = cipher.seal(upload);
            try (OutputStream out = new DigestOutputStream(sealing.clear(), sha256)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Closing the streams on the way out may have completed the upload of a part of the input.
            upload.abort();
            try {
                s3.deleteObject(d -> d.bucket(bucket).key(temp));
            } catch (RuntimeException ignored) {
                // The upload failed already; a temporary object left behind is never read.
            }
            throw e;
        }
        String hash = HexFormat.of().formatHex(sha256.digest());
        String target = key(hash);
        try {
            Optional<Head> kept = head(target);
            if (kept.isEmpty() || !Objects.equals(cipher.keyId(kept.get().bytes()).orElse(null), sealing.keyId())) {
                // New, or kept in clear or under an older data key: replaced, so a file sent again lives as
                // long as the current key, whatever retention shreds.
                s3.copyObject(c -> c.sourceBucket(bucket).sourceKey(temp).destinationBucket(bucket).destinationKey(target));
            }
        } finally {
            s3.deleteObject(d -> d.bucket(bucket).key(temp));
        }
        return new Stored(hash, size, sealing.keyId());
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        Optional<Head> head = head(key(sha256));
        return head.map(h -> cipher.clearSize(h.bytes(), h.total()));
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        String key = key(sha256);
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = s3.getObject(g -> g.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key, null, "no such object in bucket " + bucket);
        }
        return AttachmentStore.verified(cipher.open(object), sha256);
    }

    @Override
    public void delete(String sha256) {
        String key = key(sha256);
        s3.deleteObject(d -> d.bucket(bucket).key(key));
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The first bytes of an object and its whole size, by one ranged GET; empty when there is no object. */
    private record Head(byte[] bytes, long total) {
    }

    private Optional<Head> head(String key) throws IOException {
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(g -> g.bucket(bucket).key(key)
                .range("bytes=0-" + (StreamCipher.HEAD_BYTES - 1)))) {
            byte[] bytes = object.readNBytes(StreamCipher.HEAD_BYTES);
            String range = object.response().contentRange();
            long total = range != null && range.contains("/") && !range.endsWith("/*")
                    ? Long.parseLong(range.substring(range.lastIndexOf('/') + 1).trim())
                    : bytes.length;
            return Optional.of(new Head(bytes, total));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // An empty object has no byte 0.
                return Optional.of(new Head(new byte[0], 0));
            }
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private String key(String sha256) {
        if (!AttachmentStore.isSha256(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 of the store (64 lower-case hex digits)");
        }
        return prefix + sha256.substring(0, 2) + "/" + sha256;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The stored bytes going up: one PUT when they fit one part, else a multipart upload started
     * when the first part is full. Holds one part.
     */
    private final class Upload extends OutputStream {
        private final String key;
        private final byte[] part = new byte[PART_BYTES];
        private int filled;
        private String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private long total;
        private boolean closed;

        Upload(String key) {
            this.key = key;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == part.length) {
                    sendPart();
                }
                int n = Math.min(len, part.length - filled);
                System.arraycopy(b, off, part, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void sendPart() throws IOException {
            total += filled;
            if (total > MAX_OBJECT_BYTES) {
                throw new IOException("an attachment stored in S3 may weigh at most " + MAX_OBJECT_BYTES + " bytes");
            }
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key(key)).uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(u -> u.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength((long) filled), RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, filled),
                    filled)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (uploadId == null) {
                s3.putObject(p -> p.bucket(bucket).key(key).contentLength((long) filled),
                        RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, filled), filled));
                return;
            }
            if (filled > 0) {
                sendPart();
            }
            s3.completeMultipartUpload(c -> c.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        }

        /** Gives up: the parts sent are dropped. */
        void abort() {
            closed = true;
            try {
                if (uploadId != null) {
                    s3.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));
                }
            } catch (RuntimeException e) {
                // The bucket's lifecycle rule for incomplete uploads removes what is left.
            }
        }
    }

    @Override
    public String toString() {
        return "S3AttachmentStore[" + bucket + "/" + prefix + "]";
    }
}
