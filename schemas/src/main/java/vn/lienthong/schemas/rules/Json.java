package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import vn.lienthong.schemas.input.Rfc3339;

/** Small, defensive readers over JSON trees whose shape is not yet known to be valid. */
final class Json {

    private Json() {
    }

    /** The text at a field when it is a string. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** A date-time with offset at a field, when it is one. */
    static Optional<OffsetDateTime> dateTime(JsonNode node, String field) {
        return text(node, field).flatMap(Json::parseDateTime);
    }

    /** A date at a field, when it is one. */
    static Optional<LocalDate> date(JsonNode node, String field) {
        return text(node, field).flatMap(Json::parseDate);
    }

    static Optional<OffsetDateTime> parseDateTime(String s) {
        try {
            return Optional.of(Rfc3339.offsetDateTime(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static Optional<LocalDate> parseDate(String s) {
        try {
            return Optional.of(Rfc3339.date(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Escapes a member name for a JSON pointer. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Visits every member of every object in the tree, depth first, with the pointer of the
     * object that holds it: {@code visitor.accept(pointerOfObject, object)}.
     */
    static void forEachObject(JsonNode node, String pointer, BiConsumer<String, ObjectNode> visitor) {
        if (node instanceof ObjectNode object) {
            visitor.accept(pointer, object);
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                // Only containers hold objects: no pointer is built for a scalar (most members).
                if (e.getValue().isContainerNode()) {
                    forEachObject(e.getValue(), pointer + "/" + escape(e.getKey()), visitor);
                }
            }
        } else if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isContainerNode()) {
                    forEachObject(node.get(i), pointer + "/" + i, visitor);
                }
            }
        }
    }
}
