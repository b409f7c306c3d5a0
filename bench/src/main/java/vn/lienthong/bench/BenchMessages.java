package vn.lienthong.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Valid canonical violation notices from BENCH.SRC to BENCH.DST, padded to a target size: the
 * bundled example serialized once, with the message id and creation time filled in per message.
 */
final class BenchMessages {

    static final String SENDER = "BENCH.SRC";
    static final String RECIPIENT = "BENCH.DST";
    private static final String EXAMPLE = "lienthong/examples/v1/violation.notice/valid-minimal-foreign-seller.json";
    // Placeholders of the same length as what replaces them, so the padding stays exact.
    private static final String ID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000";
    private static final String TIME_PLACEHOLDER = "2000-01-01T00:00:00+07:00";

    // Always with seconds: OffsetDateTime.toString() drops ":00" seconds, which RFC 3339 does not allow.
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private final String template;
    private final int bytes;
    // One producer thread per instance at a time: a plain cache of the formatted second.
    private long cachedSecond = -1;
    private String cachedTime = TIME_PLACEHOLDER;

    private BenchMessages(String template) {
        this.template = template;
        this.bytes = template.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Notices of about {@code targetBytes} bytes (UTF-8), never smaller than the unpadded example. */
    static BenchMessages of(int targetBytes) {
        try (InputStream in = BenchMessages.class.getClassLoader().getResourceAsStream(EXAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(EXAMPLE + " is not on the class path (the schemas jar)");
            }
            ObjectNode notice = (ObjectNode) CanonicalJson.mapper().readTree(in);
            notice.put("messageId", ID_PLACEHOLDER);
            notice.put("sender", SENDER);
            notice.putArray("recipients").add(RECIPIENT);
            notice.put("createdAt", TIME_PLACEHOLDER);
            ObjectNode payload = (ObjectNode) notice.get("payload");
            String description = payload.get("description").asText();
            int size = CanonicalJson.mapper().writeValueAsBytes(notice).length;
            if (size < targetBytes) {
                String pad = " Nội dung đệm cho phép đo tải (benchmark padding).";
                StringBuilder padded = new StringBuilder(description);
                // ASCII after the first sentence, so the last bytes can be matched exactly.
                padded.append(pad);
                int padBytes = pad.getBytes(StandardCharsets.UTF_8).length;
                int missing = targetBytes - size - padBytes;
                while (missing > 0) {
                    padded.append(missing > 1 ? " x" : "x");
                    missing -= missing > 1 ? 2 : 1;
                }
                payload.put("description", padded.toString());
            }
            return new BenchMessages(CanonicalJson.mapper().writeValueAsString(notice));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + EXAMPLE, e);
        }
    }

    /** The size of every notice, in bytes. */
    int bytes() {
        return bytes;
    }

    /** A notice with this message id, created now (+07:00). */
    String body(String messageId) {
        return template.replace(ID_PLACEHOLDER, messageId).replace(TIME_PLACEHOLDER, now());
    }

    private String now() {
        long second = System.currentTimeMillis() / 1000;
        if (second != cachedSecond) {
            cachedTime = OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC3339);
            cachedSecond = second;
        }
        return cachedTime;
    }
}
