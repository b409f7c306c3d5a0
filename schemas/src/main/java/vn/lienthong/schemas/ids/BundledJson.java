package vn.lienthong.schemas.ids;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the JSON data files of this package (bundled, or supplied by a deployment). */
final class BundledJson {

    // Duplicate keys in a hand-edited data file are a mistake, not a silent override.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private BundledJson() {
    }

    static JsonNode resource(String name) {
        try (InputStream in = BundledJson.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled data file missing: " + name);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled data file " + name, e);
        }
    }

    static JsonNode read(InputStream in) {
        try {
            JsonNode root = MAPPER.readTree(in);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("data file must hold a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse data file", e);
        }
    }

    /** A required, non-blank text field. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("missing text field '" + field + "' in " + node);
        }
        return v.asText();
    }

    /** A required array field. */
    static JsonNode array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("missing array field '" + field + "'");
        }
        return v;
    }
}
