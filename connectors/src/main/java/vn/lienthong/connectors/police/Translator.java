package vn.lienthong.connectors.police;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.lienthong.connectors.police.Shape.Codes;
import vn.lienthong.connectors.police.Shape.Field;
import vn.lienthong.connectors.police.Shape.ListOf;
import vn.lienthong.connectors.police.Shape.Obj;
import vn.lienthong.connectors.police.Shape.Scalar;
import vn.lienthong.connectors.police.Shape.Variant;

/**
 * Walks a JSON tree along a {@link Shape} and writes it with the other side's names and codes.
 * One walker serves both directions, so a member decoded is a member encoded. Problems are
 * collected with the JSON pointer of the input (police pointers when decoding, canonical ones when
 * encoding); values are never quoted in them unless they look like codes, so personal identifiers
 * stay out of error messages.
 */
final class Translator {

    /** Which side the input is on. */
    enum Direction {
        /** police-case-json to canonical. */
        DECODE,
        /** canonical to police-case-json. */
        ENCODE
    }

    /** One problem in the input: where and what. */
    record Problem(String pointer, String message) {
    }

    /** The problems of one input, in the order found; only the first {@value #KEPT} are kept. */
    static final class Problems {
        static final int KEPT = 20;
        private final List<Problem> kept = new ArrayList<>();
        private int count;

        /** Records a problem at a JSON pointer. */
        void add(String pointer, String message) {
            count++;
            if (kept.size() < KEPT) {
                kept.add(new Problem(pointer, message));
            }
        }

        /** Whether there is any problem. */
        boolean any() {
            return count > 0;
        }

        /** Whether a problem was recorded at this pointer. */
        boolean anyAt(String pointer) {
            return kept.stream().anyMatch(p -> p.pointer().equals(pointer));
        }

        /** The first problem found. */
        Problem first() {
            return kept.get(0);
        }

        /** One sentence for all: the first problem, then the others with their pointers. */
        String summary() {
            StringBuilder s = new StringBuilder(kept.get(0).message());
            if (count > 1) {
                s.append(" (").append(count - 1).append(count == 2 ? " more problem: " : " more problems: ");
                for (int i = 1; i < kept.size(); i++) {
                    s.append(i > 1 ? "; " : "").append(display(kept.get(i).pointer())).append(": ")
                            .append(kept.get(i).message());
                }
                if (count > kept.size()) {
                    s.append("; ...");
                }
                s.append(')');
            }
            return s.toString();
        }
    }

    /** Codes are quoted back only when they look like codes: no long digit runs (identifiers). */
    private static final Pattern QUOTABLE = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{5,}");

    private final Direction direction;
    private final Problems problems;

    Translator(Direction direction, Problems problems) {
        this.direction = direction;
        this.problems = problems;
    }

    /** The input translated, or null where it cannot be (a problem is then recorded). */
    JsonNode translate(JsonNode in, Shape shape, String pointer) {
        // Java 17: no pattern matching in switch yet.
        if (shape instanceof Scalar scalar) {
            return scalar(in, scalar, pointer);
        } else if (shape instanceof Codes codes) {
            return code(in, codes, pointer);
        } else if (shape instanceof ListOf list) {
            return list(in, list, pointer);
        } else if (shape instanceof Obj obj) {
            return object(in, obj, pointer, null);
        }
        return variant(in, (Variant) shape, pointer);
    }

    /**
     * An object's members, in the order the profile declares them; {@code skip} is a member the
     * caller handles (a variant's tag). Members whose value is null are treated as absent.
     */
    ObjectNode object(JsonNode in, Obj obj, String pointer, String skip) {
        if (!(in instanceof ObjectNode object)) {
            wrongType(in, "an object (" + obj.name() + ")", pointer);
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Field field : obj.fields()) {
            JsonNode value = object.get(inName(field));
            if (value != null && !value.isNull()) {
                JsonNode translated = translate(value, field.shape(), child(pointer, inName(field)));
                if (translated != null) {
                    out.set(outName(field), translated);
                }
            }
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(skip) && (direction == Direction.DECODE ? obj.byPolice(name) : obj.byCanonical(name)).isEmpty()) {
                problems.add(child(pointer, name), "unknown member " + quoteName(name) + " in " + obj.name()
                        + "; its members are " + String.join(", ", direction == Direction.DECODE
                                ? withTag(skip, obj.policeNames()) : withTag(skip, obj.canonicalNames())));
            }
        }
        return out;
    }

    private JsonNode variant(JsonNode in, Variant variant, String pointer) {
        if (!(in instanceof ObjectNode object)) {
            wrongType(in, "an object (" + variant.name() + ")", pointer);
            return null;
        }
        String tagName = direction == Direction.DECODE ? variant.policeTag() : variant.canonicalTag();
        JsonNode tag = object.get(tagName);
        String tagPointer = child(pointer, tagName);
        if (tag == null || tag.isNull()) {
            problems.add(tagPointer, "missing " + tagName + ", which says what " + variant.name() + " is: one of "
                    + String.join(", ", allowed(variant.tags())));
            return null;
        }
        JsonNode kind = code(tag, variant.tags(), tagPointer);
        if (kind == null) {
            return null;
        }
        String canonicalKind = direction == Direction.DECODE ? kind.asText() : tag.asText();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set(direction == Direction.DECODE ? variant.canonicalTag() : variant.policeTag(), kind);
        ObjectNode rest = object(in, variant.objects().get(canonicalKind), pointer, tagName);
        if (rest != null) {
            out.setAll(rest);
        }
        return out;
    }

    private JsonNode list(JsonNode in, ListOf list, String pointer) {
        if (!(in instanceof ArrayNode array)) {
            wrongType(in, "an array", pointer);
            return null;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode translated = translate(array.get(i), list.item(), pointer + "/" + i);
            if (translated != null) {
                out.add(translated);
            }
        }
        return out;
    }

    private JsonNode code(JsonNode in, Codes codes, String pointer) {
        if (!in.isTextual()) {
            wrongType(in, "a code of " + codes.name() + " (a string)", pointer);
            return null;
        }
        String value = in.asText();
        Optional<String> mapped = direction == Direction.DECODE ? codes.toCanonical(value) : codes.toPolice(value);
        if (mapped.isEmpty()) {
            problems.add(pointer, (QUOTABLE.matcher(value).matches() && !DIGIT_RUN.matcher(value).find()
                    ? "unknown code '" + value + "'" : "unknown code") + " for " + codes.name() + "; allowed: "
                    + String.join(", ", allowed(codes)));
            return null;
        }
        return TextNode.valueOf(mapped.get());
    }

    private JsonNode scalar(JsonNode in, Scalar scalar, String pointer) {
        boolean fits = switch (scalar) {
            case TEXT -> in.isTextual();
            case NUMBER -> in.isNumber();
            case WHOLE -> in.isIntegralNumber() || in.isNumber() && isWhole(in.decimalValue());
            case BOOLEAN -> in.isBoolean();
        };
        if (!fits) {
            wrongType(in, scalar.expected(), pointer);
            return null;
        }
        if (direction == Direction.ENCODE && in.isNumber() && !in.isIntegralNumber() && isWhole(in.decimalValue())) {
            // A typed record may hold 1240 as the decimal 1.24E+3: write it as the validator normalizes it.
            return JsonNodeFactory.instance.numberNode(in.decimalValue().toBigIntegerExact());
        }
        return in;
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private void wrongType(JsonNode in, String expected, String pointer) {
        problems.add(pointer, "expected " + expected + ", found " + describe(in));
    }

    private List<String> allowed(Codes codes) {
        return direction == Direction.DECODE ? codes.allowedPolice() : List.copyOf(codes.canonicalToPolice().keySet());
    }

    private String inName(Field field) {
        return direction == Direction.DECODE ? field.police() : field.canonical();
    }

    private String outName(Field field) {
        return direction == Direction.DECODE ? field.canonical() : field.police();
    }

    private static List<String> withTag(String tag, List<String> names) {
        if (tag == null) {
            return names;
        }
        List<String> all = new ArrayList<>();
        all.add(tag);
        all.addAll(names);
        return all;
    }

    /** What a JSON value is, never what it holds. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING, BINARY -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "a whole number" : "a number with a fraction";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case MISSING -> "nothing";
        };
    }

    /** A member name as it may be shown: names are chosen by the sender, so they are bounded. */
    static String quoteName(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return "'" + DIGIT_RUN.matcher(shown).replaceAll("…") + "'";
    }

    /** The pointer of a member (RFC 6901: ~ and / escaped). */
    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    /** A pointer as shown in text: the document itself is "(document)". */
    static String display(String pointer) {
        return pointer.isEmpty() ? "(document)" : pointer;
    }
}
