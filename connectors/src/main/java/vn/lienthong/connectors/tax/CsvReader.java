package vn.lienthong.connectors.tax;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import vn.lienthong.schemas.input.StrictInput;

/**
 * A strict, streaming RFC 4180 reader over raw bytes: it holds one record at a time (bounded by
 * {@code maxRecordBytes}), counts physical lines, checks UTF-8 field by field and can feed the exact
 * bytes of chosen records, line endings included, to a digest. Lines end with CRLF or LF; a bare CR
 * outside quotes, a quote inside an unquoted field, text after a closing quote and an unclosed
 * quote are errors, because after any of them the record boundaries of the rest of the file can no
 * longer be trusted.
 */
final class CsvReader {

    /** A problem with the file's structure, at a physical line. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long line;

        FormatException(long line, String message) {
            super(message);
            this.line = line;
        }

        /** The physical line (1-based) where the problem is. */
        long line() {
            return line;
        }
    }

    /** One record: its fields as text and the physical line it starts on. */
    record Row(String[] fields, long line) {
        int size() {
            return fields.length;
        }

        String get(int i) {
            return fields[i];
        }
    }

    private static final int EOF = -1;

    private final InputStream in;
    private final int maxRecordBytes;
    private final int maxFields;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private long line = 1;

    private MessageDigest digest;
    private int hashFrom;

    // The current record's field bytes, back to back; fieldEnds[i] is the end of field i.
    private byte[] data = new byte[4096];
    private int dataLen;
    private int[] fieldEnds = new int[64];
    private int fieldCount;

    CsvReader(InputStream in, int maxRecordBytes, int maxFields) {
        this.in = in;
        this.maxRecordBytes = maxRecordBytes;
        this.maxFields = maxFields;
    }

    /** Skips a UTF-8 byte-order mark at the very start, if there is one; never hashed. */
    void skipByteOrderMark() throws IOException {
        if (fill(3) >= 3 && StrictInput.bomLength(buf, pos, pos + 3) == 3) {
            pos += 3;
            hashFrom = pos;
        }
    }

    /**
     * From now on, the raw bytes of every record read are fed to {@code md} (null stops it). Call
     * it between records only.
     */
    void hashWith(MessageDigest md) {
        this.digest = md;
        this.hashFrom = pos;
    }

    /** The next byte without consuming it, or -1 at the end of the input. */
    int peek() throws IOException {
        return fill(1) >= 1 ? buf[pos] & 0xFF : EOF;
    }

    /** The physical line the next record starts on. */
    long line() {
        return line;
    }

    /** The next record, or null at the end of the input. */
    Row next() throws IOException, FormatException {
        if (peek() == EOF) {
            return null;
        }
        long startLine = line;
        dataLen = 0;
        fieldCount = 0;
        // 0 start of field, 1 unquoted, 2 quoted, 3 quote seen inside a quoted field
        int state = 0;
        long quoteLine = 0;
        while (true) {
            if (state == 1 || state == 2) {
                // Copy a run of ordinary bytes at once: the per-byte switch below only sees delimiters.
                int from = pos;
                int end = limit;
                byte[] b = buf;
                int i = from;
                if (state == 1) {
                    while (i < end && b[i] != ',' && b[i] != '\r' && b[i] != '\n' && b[i] != '"') {
                        i++;
                    }
                } else {
                    while (i < end && b[i] != '"') {
                        if (b[i] == '\n') {
                            line++;
                        }
                        i++;
                    }
                }
                appendRange(from, i, startLine);
                pos = i;
                if (i == end && fill(1) >= 1) {
                    continue;
                }
            }
            int b = read();
            switch (state) {
                case 0 -> {
                    if (b == '"') {
                        state = 2;
                        quoteLine = line;
                    } else if (b == ',') {
                        endField(startLine);
                    } else if (b == '\r' || b == '\n' || b == EOF) {
                        endLine(b, startLine);
                        return row(startLine);
                    } else {
                        append((byte) b, startLine);
                        state = 1;
                    }
                }
                case 1 -> {
                    if (b == ',') {
                        endField(startLine);
                        state = 0;
                    } else if (b == '\r' || b == '\n' || b == EOF) {
                        endLine(b, startLine);
                        return row(startLine);
                    } else {
                        throw new FormatException(line, "a quote inside an unquoted field (column " + (fieldCount + 1)
                                + "); a field containing quotes must be quoted and its quotes doubled");
                    }
                }
                case 2 -> {
                    if (b == '"') {
                        state = 3;
                    } else {
                        throw new FormatException(quoteLine, "a quoted field (column " + (fieldCount + 1)
                                + ") opened on this line is never closed");
                    }
                }
                default -> {
                    if (b == '"') {
                        append((byte) '"', startLine);
                        state = 2;
                    } else if (b == ',') {
                        endField(startLine);
                        state = 0;
                    } else if (b == '\r' || b == '\n' || b == EOF) {
                        endLine(b, startLine);
                        return row(startLine);
                    } else {
                        throw new FormatException(line, "text after the closing quote of column " + (fieldCount + 1)
                                + "; a quote inside a quoted field must be doubled");
                    }
                }
            }
        }
    }

    private void endLine(int b, long startLine) throws IOException, FormatException {
        if (b == '\r') {
            if (read() != '\n') {
                throw new FormatException(line, "a carriage return (CR) not followed by a line feed (LF);"
                        + " lines end with CRLF or LF");
            }
        }
        if (b != EOF) {
            line++;
        }
        endField(startLine);
        if (digest != null) {
            digest.update(buf, hashFrom, pos - hashFrom);
            hashFrom = pos;
        }
    }

    private void append(byte b, long startLine) throws FormatException {
        if (dataLen == data.length) {
            if (dataLen >= maxRecordBytes) {
                throw new FormatException(startLine, "a record longer than " + maxRecordBytes
                        + " bytes (an unclosed quote?)");
            }
            data = Arrays.copyOf(data, Math.min(maxRecordBytes, data.length * 2));
        }
        data[dataLen++] = b;
    }

    private void appendRange(int from, int to, long startLine) throws FormatException {
        int n = to - from;
        if (n == 0) {
            return;
        }
        if (dataLen + n > data.length) {
            if (dataLen + n > maxRecordBytes) {
                throw new FormatException(startLine, "a record longer than " + maxRecordBytes
                        + " bytes (an unclosed quote?)");
            }
            data = Arrays.copyOf(data, Math.min(maxRecordBytes, Math.max(data.length * 2, dataLen + n)));
        }
        System.arraycopy(buf, from, data, dataLen, n);
        dataLen += n;
    }

    private void endField(long startLine) throws FormatException {
        if (fieldCount == maxFields) {
            throw new FormatException(startLine, "more than " + maxFields + " columns");
        }
        if (fieldCount == fieldEnds.length) {
            fieldEnds = Arrays.copyOf(fieldEnds, fieldEnds.length * 2);
        }
        fieldEnds[fieldCount++] = dataLen;
    }

    private Row row(long startLine) throws FormatException {
        String[] fields = new String[fieldCount];
        int from = 0;
        for (int i = 0; i < fieldCount; i++) {
            int to = fieldEnds[i];
            int bad = StrictInput.firstInvalidUtf8(data, from, to);
            if (bad >= 0) {
                throw new FormatException(startLine, "bytes that are not UTF-8 in column " + (i + 1)
                        + " (byte " + (bad - from + 1) + " of the field); the file must be encoded in UTF-8");
            }
            fields[i] = StrictInput.isAscii(data, from, to) ? new String(data, from, to - from, StandardCharsets.ISO_8859_1)
                    : new String(data, from, to - from, StandardCharsets.UTF_8);
            from = to;
        }
        return new Row(fields, startLine);
    }

    private int read() throws IOException {
        if (pos == limit && fill(1) < 1) {
            return EOF;
        }
        return buf[pos++] & 0xFF;
    }

    /** Makes at least {@code n} bytes available if the input has them; returns how many are. */
    private int fill(int n) throws IOException {
        if (limit - pos >= n || eof) {
            return limit - pos;
        }
        if (digest != null && pos > hashFrom) {
            digest.update(buf, hashFrom, pos - hashFrom);
        }
        int keep = limit - pos;
        System.arraycopy(buf, pos, buf, 0, keep);
        pos = 0;
        hashFrom = 0;
        limit = keep;
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
                break;
            }
            limit += r;
        }
        return limit - pos;
    }
}
