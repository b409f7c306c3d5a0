package vn.lienthong.schemas.validation;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Reads untrusted bytes as one JSON value, strictly: well-formed UTF-8, no duplicate keys, bounded
 * size and nesting, nothing after the value. Never throws on bad input.
 */
public final class JsonInput {

    /** The outcome: a tree, or the one error that stopped reading. */
    public record Parsed(JsonNode tree, List<ValidationError> errors) {
        public Parsed {
            errors = List.copyOf(errors);
        }

        /** Whether a tree was read. */
        public boolean ok() {
            return tree != null;
        }
    }

    private final int maxBytes;
    private final ObjectMapper mapper;

    /** A reader with the given limits. */
    public JsonInput(int maxBytes, int maxNestingDepth) {
        this.maxBytes = maxBytes;
        this.mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxBytes)
                .maxNumberLength(64)
                .build());
    }

    /** Reads the bytes; an error names the byte offset, line and column, or JSON pointer. */
    public Parsed read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return failed(ErrorCode.EMPTY_BODY, "", "the body is empty");
        }
        if (bytes.length > maxBytes) {
            return failed(ErrorCode.BODY_TOO_LARGE, "", "the body has " + bytes.length
                    + " bytes, more than the limit of " + maxBytes + " (attachments travel by reference)");
        }
        int start = hasUtf8Bom(bytes) ? 3 : 0;
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in).toString();
        } catch (CharacterCodingException e) {
            // After a failed decode the buffer stands at the first byte of the bad sequence.
            return failed(ErrorCode.INVALID_UTF8, "", "the body is not well-formed UTF-8 (bad byte at offset "
                    + in.position() + ")");
        }
        if (text.isBlank()) {
            return failed(ErrorCode.EMPTY_BODY, "", "the body holds only white space");
        }
        try {
            JsonNode tree = mapper.readTree(text);
            if (tree == null || tree.isMissingNode()) {
                return failed(ErrorCode.EMPTY_BODY, "", "the body holds no JSON value");
            }
            return new Parsed(tree, List.of());
        } catch (StreamConstraintsException e) {
            boolean depth = String.valueOf(e.getOriginalMessage()).contains("nesting depth");
            return failed(depth ? ErrorCode.NESTING_TOO_DEEP : ErrorCode.BODY_TOO_LARGE, pointerOf(e),
                    (depth ? "nesting is deeper than allowed" : "a value is longer than allowed")
                            + " (" + where(e) + ")");
        } catch (JsonParseException e) {
            String original = String.valueOf(e.getOriginalMessage());
            if (original.startsWith("Duplicate field")) {
                return failed(ErrorCode.DUPLICATE_KEY, pointerOf(e), "the key " + quotedField(original)
                        + " appears twice in one object (" + where(e) + ")");
            }
            return failed(ErrorCode.MALFORMED_JSON, "", "not valid JSON: " + firstLine(original)
                    + " (" + where(e) + ")");
        } catch (JsonProcessingException e) {
            return failed(ErrorCode.MALFORMED_JSON, "", "not valid JSON: "
                    + firstLine(String.valueOf(e.getOriginalMessage())) + " (" + where(e) + ")");
        } catch (IOException | RuntimeException e) {
            // Jackson reports some malformed input as plain IOExceptions; never let them escape.
            return failed(ErrorCode.MALFORMED_JSON, "", "not valid JSON: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static Parsed failed(ErrorCode code, String pointer, String message) {
        return new Parsed(null, List.of(ValidationError.of(code, pointer, message)));
    }

    private static boolean hasUtf8Bom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    private static String where(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "position unknown";
        }
        return "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String pointerOf(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser parser) {
            JsonStreamContext context = parser.getParsingContext();
            if (context != null) {
                return context.pathAsPointer().toString();
            }
        }
        return "";
    }

    private static String quotedField(String message) {
        int open = message.indexOf('\'');
        int close = message.indexOf('\'', open + 1);
        return open >= 0 && close > open ? message.substring(open, close + 1) : "(unnamed)";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
