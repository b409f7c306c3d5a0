package vn.lienthong.gateway.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The canonical JSON of audit details, the text that is hashed: object keys sorted by
 * {@link String#compareTo}, no insignificant white space, one escaping rule. The same rendering is
 * applied to what jsonb gives back (which reorders keys), so the hash survives the round trip.
 * Floating-point numbers are refused: jsonb would not give back the same digits.
 */
public final class AuditJson {

    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private AuditJson() {
    }

    /** The text {@link #canonical} last returned on this thread (canonical by construction). */
    private static final ThreadLocal<String> RENDERED = new ThreadLocal<>();

    /** Renders a Java value (map, list, string, integer, boolean, UUID, enum, instant, null). */
    public static String canonical(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(value, out);
        String text = out.toString();
        RENDERED.set(text);
        return text;
    }

    /**
     * Whether {@code text} is the very string {@link #canonical} last returned on this thread: it
     * is in canonical form already and need not be parsed again (an entry built from a map).
     */
    static boolean justRendered(String text) {
        return text != null && RENDERED.get() == text;
    }

    /**
     * Renders JSON text canonically. {@code strict}: refuse what could not round-trip (floats);
     * otherwise render it anyway, so that verifying a tampered row reports a mismatch.
     */
    public static String canonicalOfJson(String json, boolean strict) {
        // Streamed, no tree: canonical texts (every entry's detail is rendered here when it is
        // appended) and jsonb's reordered ones (the verifier's); a float or a key read twice take
        // the tree's way.
        StringBuilder out = new StringBuilder(json.length());
        try (JsonParser parser = READER.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("not allowed in an audit detail: MISSING");
            }
            if (!streamValue(parser, first, out, strict)) {
                return canonicalOfTree(json, strict);
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("audit detail is not JSON",
                        new IllegalArgumentException("trailing content after the value"));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not JSON", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@link #canonicalOfJson} through a tree: the reference rendering. */
    static String canonicalOfTree(String json, boolean strict) {
        JsonNode node;
        try {
            node = READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not JSON", e);
        }
        StringBuilder out = new StringBuilder(json.length());
        writeNode(node, out, strict);
        return out.toString();
    }

    /**
     * Renders the value whose first token the parser stands on; false when it meets a float or
     * a key read twice (the caller renders the whole text through a tree instead).
     */
    private static boolean streamValue(JsonParser p, JsonToken token, StringBuilder out, boolean strict)
            throws IOException {
        switch (token) {
            case VALUE_NULL -> out.append("null");
            case VALUE_TRUE -> out.append(true);
            case VALUE_FALSE -> out.append(false);
            case VALUE_STRING -> string(p.getText(), out);
            case VALUE_NUMBER_INT -> out.append(p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? p.getBigIntegerValue().toString() : Long.toString(p.getLongValue()));
            // The tree refuses it (strict) or keeps its digits, after reading the whole text.
            case VALUE_NUMBER_FLOAT -> {
                return false;
            }
            case START_ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    if (!streamValue(p, t, out, strict)) {
                        return false;
                    }
                }
                out.append(']');
            }
            case START_OBJECT -> {
                // Written as read; keys out of order (jsonb gives them shortest first) are sorted
                // here, member by member, without a tree; a key read twice: the tree decides.
                out.append('{');
                int start = out.length();
                String last = null;
                boolean ordered = true;
                List<String> keys = new ArrayList<>(8);
                int[] spans = new int[16];
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String key = sanitize(p.currentName());
                    if (last != null) {
                        if (ordered && last.compareTo(key) >= 0) {
                            ordered = false;
                        }
                        out.append(',');
                    }
                    last = key;
                    int from = out.length();
                    string(key, out);
                    out.append(':');
                    if (!streamValue(p, p.nextToken(), out, strict)) {
                        return false;
                    }
                    int member = keys.size();
                    if (spans.length < 2 * (member + 1)) {
                        spans = Arrays.copyOf(spans, spans.length * 2);
                    }
                    keys.add(key);
                    spans[2 * member] = from;
                    spans[2 * member + 1] = out.length();
                }
                if (!ordered && !sortMembers(out, start, keys, spans)) {
                    return false;
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("not allowed in an audit detail: " + token);
        }
        return true;
    }

    /**
     * Rewrites an object's members, rendered from {@code start} on in the order read, in key order;
     * false when two keys are equal (the tree keeps the last one).
     */
    private static boolean sortMembers(StringBuilder out, int start, List<String> keys, int[] spans) {
        int members = keys.size();
        Integer[] order = new Integer[members];
        for (int i = 0; i < members; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> keys.get(a).compareTo(keys.get(b)));
        for (int i = 1; i < members; i++) {
            if (keys.get(order[i - 1]).equals(keys.get(order[i]))) {
                return false;
            }
        }
        String rendered = out.substring(start);
        out.setLength(start);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                out.append(',');
            }
            int m = order[i];
            out.append(rendered, spans[2 * m] - start, spans[2 * m + 1] - start);
        }
        return true;
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof UUID || value instanceof Instant) {
            string(value.toString(), out);
        } else if (value instanceof Enum<?> e) {
            string(e.name(), out);
        } else if (value instanceof JsonNode node) {
            writeNode(node, out, true);
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("audit detail keys are strings");
                }
                sorted.put(sanitize(key), e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else if (value.getClass().isArray() && !(value instanceof byte[])) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            write(list, out);
        } else {
            throw new IllegalArgumentException("not allowed in an audit detail: " + value.getClass().getName());
        }
    }

    private static void writeNode(JsonNode node, StringBuilder out, boolean strict) {
        switch (node.getNodeType()) {
            case NULL -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue());
            case STRING -> string(node.textValue(), out);
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    out.append(node.bigIntegerValue());
                } else if (strict) {
                    throw new IllegalArgumentException("floating-point numbers are not allowed in an audit detail");
                } else {
                    out.append(node.decimalValue().toPlainString());
                }
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeNode(node.get(i), out, strict);
                }
                out.append(']');
            }
            case OBJECT -> {
                TreeMap<String, JsonNode> sorted = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    sorted.put(sanitize(e.getKey()), e.getValue());
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(e.getKey(), out);
                    out.append(':');
                    writeNode(e.getValue(), out, strict);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("not allowed in an audit detail: " + node.getNodeType());
        }
    }

    /** A JSON string; NUL (which PostgreSQL text refuses) and lone surrogates become U+FFFD. */
    private static void string(String raw, StringBuilder out) {
        out.append('"');
        int n = raw.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            // Most characters are printable and not surrogates: copied as runs, one check each.
            if (c >= 0x20 && c != '"' && c != '\\' && (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)) {
                continue;
            }
            out.append(raw, run, i);
            run = i + 1;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(raw.charAt(i + 1))) {
                out.append(c).append(raw.charAt(i + 1));
                i++;
                run = i + 1;
                continue;
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // NUL (sanitized) and lone surrogates.
                case 0 -> out.append('\uFFFD');
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append('\uFFFD');
                    }
                }
            }
        }
        out.append(raw, run, n);
        out.append('"');
    }

    /** Replaces what cannot be stored and read back unchanged in a UTF-8 database. */
    public static String sanitize(String s) {
        StringBuilder fixed = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad;
            if (c == 0) {
                bad = true;
            } else if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!bad) {
                    if (fixed != null) {
                        fixed.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad && fixed == null) {
                fixed = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (fixed != null) {
                fixed.append(bad ? '\uFFFD' : c);
            }
        }
        return fixed == null ? s : fixed.toString();
    }
}
