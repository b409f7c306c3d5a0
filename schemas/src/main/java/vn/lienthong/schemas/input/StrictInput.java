package vn.lienthong.schemas.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * Strict reading of untrusted bytes, the one place every reader of the gateway (the canonical
 * validator, every connector) gets it from: a size cap checked before anything is parsed, a UTF-8
 * byte-order mark skipped, strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF) whose refusal names the byte offset, line and column of the first bad byte, and JSON read
 * with no duplicate key, bounded nesting and nothing after the value, its failures mapped from
 * Jackson's location to line, column and JSON pointer.
 *
 * <p>Refusals are {@link Refusal}s carrying the facts (what, byte offset, line, column, pointer);
 * each reader words them for its senders ("the message", "the body", "the edXML document") so that
 * the messages they publish stay as they are. {@link Refusal#getMessage()} is a neutral wording.
 */
public final class StrictInput {

    /** The usual cap: 5 MB (attachments travel by reference). */
    public static final int DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

    /** Longest number accepted in JSON, in characters. */
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int maxBytes;
    private final int maxDepth;
    private final ObjectMapper mapper;

    /**
     * A reader of at most {@code maxBytes} bytes and (for JSON) at most {@code maxNestingDepth} levels
     * of arrays and objects, the top-level value counting as 1.
     */
    public StrictInput(int maxBytes, int maxNestingDepth) {
        if (maxBytes <= 0 || maxNestingDepth <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxDepth = maxNestingDepth;
        JsonMapper built = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // Locations carry line and column only: no excerpt of the input in any exception.
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // Keep every digit of amounts and quantities: no detour through double.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        built.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxBytes)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
        this.mapper = built;
    }

    /** The size cap in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The nesting limit of JSON. */
    public int maxDepth() {
        return maxDepth;
    }

    /** What was wrong with an input. */
    public enum Kind {
        /** Zero bytes (a byte-order mark alone counts as zero bytes where a reader says so). */
        EMPTY(ErrorCode.EMPTY_BODY),
        /** More bytes than the cap; the input was read no further than one byte past it. */
        TOO_LARGE(ErrorCode.BODY_TOO_LARGE),
        /** A byte that is not part of well-formed UTF-8. */
        INVALID_UTF8(ErrorCode.INVALID_UTF8),
        /** Only white space. */
        BLANK(ErrorCode.EMPTY_BODY),
        /** No JSON value at all. */
        NO_VALUE(ErrorCode.EMPTY_BODY),
        /** Arrays or objects nested deeper than the limit. */
        NESTING_TOO_DEEP(ErrorCode.NESTING_TOO_DEEP),
        /** A number or string longer than allowed. */
        VALUE_TOO_LONG(ErrorCode.BODY_TOO_LARGE),
        /** The same key twice in one object ({@link Refusal#detail()} is the key). */
        DUPLICATE_KEY(ErrorCode.DUPLICATE_KEY),
        /** Content after the JSON value ({@link Refusal#detail()} is the parser's first line). */
        TRAILING_CONTENT(ErrorCode.MALFORMED_JSON),
        /** Not JSON, or JSON cut short ({@link Refusal#detail()} is the parser's first line). */
        MALFORMED_JSON(ErrorCode.MALFORMED_JSON);

        private final ErrorCode code;

        Kind(ErrorCode code) {
            this.code = code;
        }

        /** The published error code of this refusal. */
        public ErrorCode code() {
            return code;
        }
    }

    /**
     * An input refused, with the facts a reader needs to say where: never the input's content (a
     * parser's explanation may quote a token; readers that publish it redact as they must).
     */
    public static final class Refusal extends Exception {

        private static final long serialVersionUID = 1L;

        private final Kind kind;
        private final String pointer;
        private final long byteOffset;
        private final int line;
        private final int column;
        private final String detail;
        private final boolean truncated;

        Refusal(Kind kind, String pointer, long byteOffset, int line, int column, String detail, boolean truncated,
                String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.pointer = pointer;
            this.byteOffset = byteOffset;
            this.line = line;
            this.column = column;
            this.detail = detail;
            this.truncated = truncated;
        }

        static Refusal whole(Kind kind, String message) {
            return new Refusal(kind, "", -1, 0, 0, "", false, message);
        }

        /** What was wrong. */
        public Kind kind() {
            return kind;
        }

        /** The published error code. */
        public ErrorCode code() {
            return kind.code();
        }

        /** The JSON pointer of the member or item being read, or "" for the whole input. */
        public String pointer() {
            return pointer;
        }

        /** The offset of the first bad byte in the bytes given (a byte-order mark counts), or -1. */
        public long byteOffset() {
            return byteOffset;
        }

        /** The 1-based line, or 0 when unknown. */
        public int line() {
            return line;
        }

        /** The 1-based column (in characters), or 0 when unknown. */
        public int column() {
            return column;
        }

        /** "line L, column C", or "position unknown". */
        public String where() {
            return line < 1 ? "position unknown" : "line " + line + ", column " + column;
        }

        /** The duplicate key, the parser's explanation (first line), or "". */
        public String detail() {
            return detail;
        }

        /** For {@link Kind#INVALID_UTF8}: the input ends inside a character (cut short, not mis-encoded). */
        public boolean truncated() {
            return truncated;
        }
    }

    // ---------------------------------------------------------------- bytes

    /**
     * Reads at most the cap and one byte more, so that an oversized input is refused without being
     * read whole.
     *
     * @throws Refusal {@link Kind#TOO_LARGE} when there is more
     */
    public byte[] readLimited(InputStream in) throws IOException, Refusal {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        checkSize(bytes);
        return bytes;
    }

    /** Refuses more bytes than the cap ({@link Kind#TOO_LARGE}). */
    public void checkSize(byte[] bytes) throws Refusal {
        if (bytes.length > maxBytes) {
            throw Refusal.whole(Kind.TOO_LARGE, "the input is larger than " + maxBytes + " bytes");
        }
    }

    /** The length of a leading UTF-8 byte-order mark: 3 or 0. */
    public static int bomLength(byte[] b) {
        return bomLength(b, 0, b.length);
    }

    /** The length of a UTF-8 byte-order mark at {@code from} (bytes before {@code to}): 3 or 0. */
    public static int bomLength(byte[] b, int from, int to) {
        return to - from >= 3 && (b[from] & 0xFF) == 0xEF && (b[from + 1] & 0xFF) == 0xBB
                && (b[from + 2] & 0xFF) == 0xBF ? 3 : 0;
    }

    /** Whether the bytes start with a UTF-16 byte-order mark (FE FF or FF FE). */
    public static boolean startsWithUtf16Bom(byte[] b) {
        return b.length >= 2 && ((b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF
                || (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE);
    }

    /**
     * The text of strict UTF-8 bytes, a byte-order mark skipped.
     *
     * @throws Refusal {@link Kind#INVALID_UTF8} naming the offset, line and column of the first bad byte
     */
    public static String utf8(byte[] bytes) throws Refusal {
        int start = bomLength(bytes);
        int bad = firstInvalidUtf8(bytes, start, bytes.length);
        if (bad >= 0) {
            throw invalidUtf8(bytes, start, bad);
        }
        return isAscii(bytes, start, bytes.length)
                ? new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1)
                : new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    /**
     * Checks that the bytes (after a byte-order mark) are strict UTF-8 without decoding them, for a
     * parser that reads the bytes itself.
     *
     * @throws Refusal {@link Kind#INVALID_UTF8} naming the offset, line and column of the first bad byte
     */
    public static void checkUtf8(byte[] bytes) throws Refusal {
        int start = bomLength(bytes);
        int bad = firstInvalidUtf8(bytes, start, bytes.length);
        if (bad >= 0) {
            throw invalidUtf8(bytes, start, bad);
        }
    }

    private static Refusal invalidUtf8(byte[] bytes, int start, int bad) {
        int line = 1;
        int lineStart = start;
        for (int i = start; i < bad; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        // Bytes before the bad one are well-formed: their decoded length is the column's.
        int column = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8).length() + 1;
        boolean truncated = endsInsideACharacter(bytes, bad);
        return new Refusal(Kind.INVALID_UTF8, "", bad, line, column, String.format("0x%02X", bytes[bad] & 0xFF),
                truncated, (truncated ? "the input ends inside a UTF-8 character" : "the input is not well-formed UTF-8")
                        + " (line " + line + ", column " + column + ", byte offset " + bad + ")");
    }

    /** Whether the bad sequence at {@code bad} is a lead byte whose continuation bytes the input lacks. */
    private static boolean endsInsideACharacter(byte[] b, int bad) {
        int need = sequenceLength(b[bad] & 0xFF) - 1;
        if (need <= 0 || bad + need < b.length) {
            return false;
        }
        for (int i = bad + 1; i < b.length; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Whether every byte in {@code [from, to)} is ASCII (the common case, decoded without checks). */
    public static boolean isAscii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index of the first byte in {@code [from, to)} that is not part of well-formed UTF-8
     * (RFC 3629), or -1. Java's {@code new String(bytes, UTF_8)} would silently put U+FFFD in place
     * of bad bytes, which would hide a file written in another encoding (Windows-1258, TCVN3) until
     * the names come out garbled.
     */
    public static int firstInvalidUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            // Runs of ASCII (most of every input) eight bytes at a time.
            while (i + 8 <= to && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i >= to) {
                break;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need = sequenceLength(c) - 1;
            if (need < 0) {
                return i;
            }
            int min2 = 0x80;
            int max2 = 0xBF;
            if (c == 0xE0) {
                min2 = 0xA0; // overlong
            } else if (c == 0xED) {
                max2 = 0x9F; // surrogates
            } else if (c == 0xF0) {
                min2 = 0x90; // overlong
            } else if (c == 0xF4) {
                max2 = 0x8F; // above U+10FFFF
            }
            if (i + need >= to) {
                return i; // fewer continuation bytes than the lead byte announces
            }
            int c2 = b[i + 1] & 0xFF;
            if (c2 < min2 || c2 > max2) {
                return i;
            }
            for (int k = 2; k <= need; k++) {
                int ck = b[i + k] & 0xFF;
                if (ck < 0x80 || ck > 0xBF) {
                    return i;
                }
            }
            i += need + 1;
        }
        return -1;
    }

    // ---------------------------------------------------------------- JSON

    /**
     * One JSON value from untrusted bytes: not empty, within the cap, strict UTF-8 (a byte-order mark
     * skipped), not blank, no duplicate key, nesting within the limit, numbers of at most
     * {@value #MAX_NUMBER_LENGTH} characters, nothing after the value. The value may be of any JSON
     * type; the caller says which it wants.
     */
    public JsonNode json(byte[] bytes) throws Refusal {
        if (bytes == null || bytes.length == 0) {
            throw Refusal.whole(Kind.EMPTY, "the input is empty");
        }
        checkSize(bytes);
        int start = bomLength(bytes);
        int bad = firstInvalidUtf8(bytes, start, bytes.length);
        if (bad >= 0) {
            throw invalidUtf8(bytes, start, bad);
        }
        JsonNode read = readBytes(bytes, start);
        if (read != null) {
            return read;
        }
        // Anything the bytes' parser did not take whole is read again from the text, whose parser's
        // lines and columns count characters: the refusal is worded from there, as it always was.
        String text = isAscii(bytes, start, bytes.length)
                ? new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1)
                : new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw Refusal.whole(Kind.BLANK, "the input holds only white space");
        }
        // Our own parser, so that its position and context are at hand whatever fails.
        JsonNode tree;
        try (JsonParser parser = mapper.createParser(text)) {
            try {
                tree = mapper.readTree(parser);
                if (tree != null) {
                    JsonToken after = parser.nextToken();
                    if (after != null) {
                        // The same words as Jackson's FAIL_ON_TRAILING_TOKENS (readers have published them).
                        throw jsonRefusal(Kind.TRAILING_CONTENT, parser, parser.currentTokenLocation(),
                                "Trailing token (of type " + after + ") found after value (bound as `"
                                        + JsonNode.class.getName()
                                        + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
                    }
                }
            } catch (StreamConstraintsException e) {
                boolean depth = String.valueOf(e.getOriginalMessage()).contains("nesting depth");
                throw jsonRefusal(depth ? Kind.NESTING_TOO_DEEP : Kind.VALUE_TOO_LONG, parser, e.getLocation(),
                        explanation(e));
            } catch (JsonParseException e) {
                String original = String.valueOf(e.getOriginalMessage());
                if (original.startsWith("Duplicate field")) {
                    throw jsonRefusal(Kind.DUPLICATE_KEY, parser, e.getLocation(), duplicateName(original));
                }
                throw jsonRefusal(Kind.MALFORMED_JSON, parser, e.getLocation(), explanation(e));
            } catch (JsonProcessingException e) {
                throw jsonRefusal(Kind.MALFORMED_JSON, parser, e.getLocation(), explanation(e));
            }
        } catch (Refusal e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson reports some malformed input as plain IOExceptions; never let them escape.
            throw new Refusal(Kind.MALFORMED_JSON, "", -1, 0, 0, e.getClass().getSimpleName(), false,
                    "not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (tree == null || tree.isMissingNode()) {
            throw Refusal.whole(Kind.NO_VALUE, "the input holds no JSON value");
        }
        return tree;
    }

    /**
     * The value of well-formed UTF-8 bytes read by Jackson's byte parser (no text decoded first),
     * or null when they hold no value, more than one, or anything that parser refuses. Only bytes
     * without NUL among the first four: Jackson would take those for UTF-16 or UTF-32.
     */
    private JsonNode readBytes(byte[] bytes, int start) {
        for (int i = start; i < Math.min(start + 4, bytes.length); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        try (JsonParser parser = mapper.createParser(bytes, start, bytes.length - start)) {
            JsonNode tree = mapper.readTree(parser);
            if (tree == null || tree.isMissingNode() || parser.nextToken() != null) {
                return null;
            }
            return tree;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A refusal at the given location (the exception's, or else where the parser stands). */
    private static Refusal jsonRefusal(Kind kind, JsonParser parser, JsonLocation at, String detail) {
        JsonLocation location = at != null ? at : parser.currentLocation();
        int line = location == null || location.getLineNr() < 1 ? 0 : location.getLineNr();
        int column = line == 0 ? 0 : location.getColumnNr();
        JsonStreamContext context = parser.getParsingContext();
        String pointer = context == null ? "" : context.pathAsPointer().toString();
        String where = line == 0 ? "position unknown" : "line " + line + ", column " + column;
        String message = switch (kind) {
            case NESTING_TOO_DEEP -> "nesting is deeper than allowed (" + where + ")";
            case VALUE_TOO_LONG -> "a value is longer than allowed (" + where + ")";
            case DUPLICATE_KEY -> "the key '" + detail + "' appears twice in one object (" + where + ")";
            default -> "not valid JSON (" + where + ")";
        };
        return new Refusal(kind, pointer, -1, line, column, detail, false, message);
    }

    private static String duplicateName(String message) {
        int open = message.indexOf('\'');
        int close = message.indexOf('\'', open + 1);
        return open >= 0 && close > open ? message.substring(open + 1, close) : "";
    }

    /**
     * The parser's explanation: its first line, without the "(start marker at ...)" clause (it only
     * repeats a position, and with source locations on it would quote the input).
     */
    private static String explanation(JsonProcessingException e) {
        return firstLine(String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "").trim());
    }

    /** The first line of a parser's message, at most 200 characters. */
    public static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
