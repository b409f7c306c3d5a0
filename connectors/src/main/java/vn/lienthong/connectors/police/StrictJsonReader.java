package vn.lienthong.connectors.police;

import com.fasterxml.jackson.core.JsonLocation;
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
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import vn.lienthong.connectors.DecodeException;

/**
 * Reads one untrusted police message as a JSON object, strictly: at most {@value #MAX_BYTES}
 * bytes, well-formed UTF-8, no duplicate key, nesting at most {@value #MAX_DEPTH} deep, nothing
 * after the value. Every refusal is a {@link DecodeException} whose location is a JSON pointer and
 * whose message gives line and column, without quoting the input.
 */
final class StrictJsonReader {

    /** The largest message: 5 MB, as the validator's body limit (attachments travel by reference). */
    static final int MAX_BYTES = 5 * 1024 * 1024;

    /** The deepest nesting of objects and arrays (the message itself counts as 1). */
    static final int MAX_DEPTH = 64;

    /** Digit runs are what personal identifiers look like; parser messages never show them. */
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{5,}");

    private static final ObjectMapper MAPPER = build();

    private StrictJsonReader() {
    }

    private static ObjectMapper build() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // Keep every digit of amounts and quantities: no detour through double.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(64)
                .maxStringLength(MAX_BYTES)
                .build());
        return mapper;
    }

    /** Reads the input (not closed); the result is a JSON object. */
    static JsonNode read(InputStream in) throws DecodeException, IOException {
        // Read one byte past the limit, so that an oversized input is seen without reading it all.
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new DecodeException("", "the message is larger than " + MAX_BYTES
                    + " bytes (5 MB); attachments travel by reference in tep_dinh_kem");
        }
        return read(bytes);
    }

    /** Reads the bytes; the result is a JSON object. */
    static JsonNode read(byte[] bytes) throws DecodeException {
        if (bytes.length == 0) {
            throw new DecodeException("", "the message is empty");
        }
        int start = hasUtf8Bom(bytes) ? 3 : 0;
        ByteBuffer buffer = ByteBuffer.wrap(bytes, start, bytes.length - start);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer).toString();
        } catch (CharacterCodingException e) {
            // After a failed decode the buffer stands at the first byte of the bad sequence.
            int offset = buffer.position();
            if (e instanceof MalformedInputException m && offset + m.getInputLength() >= bytes.length
                    && (bytes[offset] & 0xC0) == 0xC0) {
                throw new DecodeException("", "the message is cut short: it ends inside a UTF-8 character"
                        + " (offset " + offset + ")");
            }
            throw new DecodeException("", "the message is not well-formed UTF-8 (bad byte at offset " + offset + ")");
        }
        if (text.isBlank()) {
            throw new DecodeException("", "the message holds only white space");
        }
        JsonNode tree;
        // Our own parser, so that its position and context are at hand whatever fails.
        try (JsonParser parser = MAPPER.createParser(text)) {
            try {
                tree = MAPPER.readTree(parser);
                if (tree != null && parser.nextToken() != null) {
                    throw new DecodeException("", "not valid JSON: content after the message ("
                            + where(null, parser) + ")");
                }
            } catch (StreamConstraintsException e) {
                boolean depth = String.valueOf(e.getOriginalMessage()).contains("nesting depth");
                throw new DecodeException(pointerOf(parser), depth
                        ? "objects and arrays are nested deeper than " + MAX_DEPTH + " levels (" + where(e, parser) + ")"
                        : "a number or string is longer than allowed (" + where(e, parser) + ")");
            } catch (JsonParseException e) {
                String original = String.valueOf(e.getOriginalMessage());
                if (original.startsWith("Duplicate field")) {
                    throw new DecodeException(pointerOf(parser), "the member " + duplicateName(original)
                            + " appears twice in one object (" + where(e, parser) + ")");
                }
                throw new DecodeException(pointerOf(parser), "not valid JSON: " + explain(original)
                        + " (" + where(e, parser) + ")");
            } catch (JsonProcessingException e) {
                throw new DecodeException(pointerOf(parser), "not valid JSON: "
                        + explain(String.valueOf(e.getOriginalMessage())) + " (" + where(e, parser) + ")");
            }
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson reports some malformed input as plain IOExceptions; never let them escape.
            throw new DecodeException("", "not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new DecodeException("", "the message holds no JSON value");
        }
        if (!tree.isObject()) {
            throw new DecodeException("", "a police message is a JSON object, not " + Translator.describe(tree));
        }
        return tree;
    }

    private static boolean hasUtf8Bom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    /** Line and column of a failure: the exception's, else where the parser stands. */
    private static String where(JsonProcessingException e, JsonParser parser) {
        JsonLocation location = e != null && e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        if (location == null || location.getLineNr() < 1) {
            return "position unknown";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Where the parser stood: the member or item being read. */
    private static String pointerOf(JsonParser parser) {
        JsonStreamContext context = parser.getParsingContext();
        return context == null ? "" : context.pathAsPointer().toString();
    }

    private static String duplicateName(String message) {
        int open = message.indexOf('\'');
        int close = message.indexOf('\'', open + 1);
        return open >= 0 && close > open ? Translator.quoteName(message.substring(open + 1, close)) : "(unnamed)";
    }

    /**
     * The parser's explanation, first line only, without the tokens it quotes: an unquoted token
     * may be a name or an identifier the sender forgot to quote.
     */
    private static String explain(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        if (line.startsWith("Unrecognized token")) {
            return "a bare word where a value belongs (text needs double quotes; literals are true, false, null)";
        }
        line = line.replaceAll("\\(start marker at [^)]*\\)", "").trim();
        line = DIGIT_RUN.matcher(line).replaceAll("…");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
