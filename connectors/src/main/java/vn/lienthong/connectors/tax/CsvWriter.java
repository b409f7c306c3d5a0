package vn.lienthong.connectors.tax;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import vn.lienthong.connectors.spi.UnencodableCharacterException;

/**
 * Writes a tax-csv file: UTF-8 without byte-order mark, CRLF line endings, RFC 4180 quoting, every
 * field neutralized against spreadsheet formula injection, and the trailer
 * {@code #TRAILER,<rows>,<SHA-256 of the data rows' bytes>}.
 */
final class CsvWriter {

    private static final byte[] CRLF = {'\r', '\n'};

    private final OutputStream out;
    private final ByteArrayOutputStream memory;
    private final MessageDigest digest = sha256();
    private long rows;
    /** A message file refuses what UTF-8 cannot carry; a result file (the gateway's own words) does not fail on it. */
    private boolean strict;

    /** Starts a file in memory with its header row. */
    CsvWriter(List<String> header) {
        this.memory = new ByteArrayOutputStream();
        this.out = memory;
        write(line(header));
    }

    /** Starts a file written to a stream (a result file of a million rows) with its header row. */
    CsvWriter(OutputStream out, List<String> header) {
        this.memory = null;
        this.out = out;
        write(line(header));
    }

    /** Makes a text no UTF-8 can carry (a lone surrogate) an {@link UnencodableCharacterException}, not a '?'. */
    CsvWriter strict() {
        strict = true;
        return this;
    }

    /** Appends a data row; null fields are written empty. */
    CsvWriter row(List<String> fields) {
        byte[] line = line(fields);
        digest.update(line);
        write(line);
        rows++;
        return this;
    }

    /** Appends the trailer; returns the file when it was written in memory, else an empty array. */
    byte[] finish() {
        write(("#TRAILER," + rows + "," + HexFormat.of().formatHex(digest.digest())).getBytes(StandardCharsets.US_ASCII));
        write(CRLF);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return memory == null ? new byte[0] : memory.toByteArray();
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** UTF-8 has no lone surrogate: refused, not written as '?' (the recipient would read other text). */
    private static void loneSurrogate(String f) {
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < f.length() && Character.isLowSurrogate(f.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new UnencodableCharacterException(c, "", "UTF-8");
            }
        }
    }

    private byte[] line(List<String> fields) {
        StringBuilder s = new StringBuilder(256);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            String f = Neutralizer.neutralize(fields.get(i) == null ? "" : fields.get(i));
            if (strict) {
                loneSurrogate(f);
            }
            if (needsQuotes(f)) {
                s.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                s.append(f);
            }
        }
        byte[] text = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[text.length + 2];
        System.arraycopy(text, 0, line, 0, text.length);
        line[text.length] = '\r';
        line[text.length + 1] = '\n';
        return line;
    }

    private static boolean needsQuotes(String f) {
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        // A leading '#' is quoted so that no data row can be mistaken for the trailer.
        return !f.isEmpty() && f.charAt(0) == '#';
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
