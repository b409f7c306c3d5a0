package vn.lienthong.gateway.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The bytes of an HTTP request body exactly as received, read at most to the size of one message:
 * never decoded with a declared charset, never read without bound.
 */
public final class RawBody {

    private RawBody() {
    }

    /**
     * The body's bytes (empty array for none), or empty when it is larger than {@code max} bytes
     * (reading stops there).
     *
     * @param body what the HTTP binding made of the request body: a stream, bytes, or nothing
     */
    public static Optional<byte[]> read(Object body, int max) {
        if (body == null) {
            return Optional.of(new byte[0]);
        }
        if (body instanceof byte[] bytes) {
            return bytes.length > max ? Optional.empty() : Optional.of(bytes);
        }
        if (body instanceof InputStream in) {
            try (in) {
                byte[] bytes = in.readNBytes(max + 1);
                return bytes.length > max ? Optional.empty() : Optional.of(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("the request body could not be read", e);
            }
        }
        if (body instanceof String text) {
            // Not expected from the binding (it hands over a stream); UTF-8 is what the gateway reads.
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return bytes.length > max ? Optional.empty() : Optional.of(bytes);
        }
        throw new IllegalArgumentException("a request body of type " + body.getClass().getName());
    }

    /** The charset a Content-Type declares when it is not UTF-8 (or its alias), for a refusal. */
    public static Optional<String> otherCharset(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        for (String parameter : contentType.split(";")) {
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String value = parameter.substring(eq + 1).trim().replace("\"", "");
                String lower = value.toLowerCase(Locale.ROOT);
                if (!lower.equals("utf-8") && !lower.equals("utf8")) {
                    // Printable ASCII only: it goes into a receipt.
                    return Optional.of("'" + value.replaceAll("[^\\x21-\\x7e]", "?").substring(0, Math.min(value.length(), 40)) + "'");
                }
            }
        }
        return Optional.empty();
    }
}
