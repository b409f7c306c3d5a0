package vn.lienthong.gateway.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A test file made on the fly, never held whole: {@code size} pseudo-random bytes from a seed
 * (xorshift), the same bytes at every {@link #open}; {@code tamperAt} flips one byte.
 */
public record GeneratedFile(long size, long seed, long tamperAt) {

    /** Fifty mebibytes, the case file. */
    public static final long FIFTY_MB = 50L * 1024 * 1024;

    /** An untampered file. */
    public static GeneratedFile of(long size, long seed) {
        return new GeneratedFile(size, seed, -1);
    }

    /** The same file with the byte at {@code offset} changed. */
    public GeneratedFile tampered(long offset) {
        return new GeneratedFile(size, seed, offset);
    }

    /** The bytes, as a stream. */
    public InputStream open() {
        return new InputStream() {
            private long position;
            private long state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    byte value = (byte) state;
                    b[off + i] = position == tamperAt ? (byte) ~value : value;
                    position++;
                }
                return n;
            }
        };
    }

    /** The SHA-256 of the bytes, lower-case hex. */
    public String sha256() {
        return sha256(open());
    }

    /** The SHA-256 of a stream read to its end (and closed), lower-case hex. */
    public static String sha256(InputStream in) {
        try (DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digest.transferTo(OutputStreamSink.INSTANCE);
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts nothing, keeps nothing. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
