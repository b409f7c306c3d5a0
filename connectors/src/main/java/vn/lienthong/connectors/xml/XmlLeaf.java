package vn.lienthong.connectors.xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A simple value: its XSD simple type (base and facets) and how its lexical form maps to a JSON
 * value. Text keeps every character; tokens, numbers, dates, booleans and codes are
 * whitespace-collapsed as XSD does before checking them.
 *
 * @param typeName the XSD simpleType name; null for a built-in type used as is
 * @param kind how the value is read and written
 * @param doc one sentence for the XSD and the mapping tables
 * @param pattern an XSD pattern (implicitly anchored), or null
 * @param minLength minimum length in characters, or null
 * @param maxLength maximum length in characters, or null
 * @param minInclusive lower bound of a number, or null
 * @param maxInclusive upper bound of a number, or null
 * @param codes the code list of a {@link Kind#CODE}, else null
 */
public record XmlLeaf(String typeName, Kind kind, String doc, String pattern, Integer minLength, Integer maxLength,
        String minInclusive, String maxInclusive, CodeList codes) implements XmlContent {

    /** How a leaf's text becomes JSON and back. */
    public enum Kind {
        /** A JSON string, every character kept (xs:string). */
        TEXT("xs:string"),
        /** A JSON string without leading, trailing or repeated white space (xs:token). */
        TOKEN("xs:token"),
        /** A JSON integer within a long (xs:long). */
        LONG("xs:long"),
        /** A JSON integer within an int (xs:int). */
        INT("xs:int"),
        /** A JSON number (xs:decimal; exponents are not XSD decimals and are written out). */
        DECIMAL("xs:decimal"),
        /** A JSON boolean (xs:boolean; 1 and 0 are read as true and false). */
        BOOLEAN("xs:boolean"),
        /** A JSON string YYYY-MM-DD (xs:date without a time zone). */
        DATE("xs:date"),
        /** A JSON string, RFC 3339 with an offset (xs:dateTime with a required offset). */
        DATE_TIME("xs:dateTime"),
        /** A JSON string from a code list, written as its XML code (xs:token enumeration). */
        CODE("xs:token");

        private final String xsdBase;

        Kind(String xsdBase) {
            this.xsdBase = xsdBase;
        }

        /** The XSD base type. */
        public String xsdBase() {
            return xsdBase;
        }
    }

    /** The lexical form the profiles require of an xs:date: no time zone. */
    static final String DATE_PATTERN = "[0-9]{4}-[0-9]{2}-[0-9]{2}";

    /** The lexical form the profiles require of an xs:dateTime: seconds, and an offset or Z. */
    static final String DATE_TIME_PATTERN =
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+\\-][0-9]{2}:[0-9]{2})";

    public XmlLeaf {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(doc, "doc");
        if ((kind == Kind.CODE) != (codes != null)) {
            throw new IllegalArgumentException("a code list goes with kind CODE, and only there");
        }
    }

    /** A text (xs:string) type. */
    public static XmlLeaf text(String typeName, String doc) {
        return new XmlLeaf(typeName, Kind.TEXT, doc, null, null, null, null, null, null);
    }

    /** A token (xs:token) type. */
    public static XmlLeaf token(String typeName, String doc) {
        return new XmlLeaf(typeName, Kind.TOKEN, doc, null, null, null, null, null, null);
    }

    /** An xs:long type. */
    public static XmlLeaf integer(String typeName, String doc) {
        return new XmlLeaf(typeName, Kind.LONG, doc, null, null, null, null, null, null);
    }

    /** An xs:int type. */
    public static XmlLeaf smallInteger(String typeName, String doc) {
        return new XmlLeaf(typeName, Kind.INT, doc, null, null, null, null, null, null);
    }

    /** An xs:decimal type. */
    public static XmlLeaf decimal(String typeName, String doc) {
        return new XmlLeaf(typeName, Kind.DECIMAL, doc, null, null, null, null, null, null);
    }

    /** xs:boolean as is. */
    public static XmlLeaf bool() {
        return new XmlLeaf(null, Kind.BOOLEAN, "true or false", null, null, null, null, null, null);
    }

    /** A date type (xs:date, YYYY-MM-DD). */
    public static XmlLeaf date(String typeName, String doc) {
        return new XmlLeaf(typeName, Kind.DATE, doc, DATE_PATTERN, null, null, null, null, null);
    }

    /** An instant type (xs:dateTime with an offset). */
    public static XmlLeaf dateTime(String typeName, String doc) {
        return new XmlLeaf(typeName, Kind.DATE_TIME, doc, DATE_TIME_PATTERN, null, null, null, null, null);
    }

    /** A code list type. */
    public static XmlLeaf code(String typeName, String doc, CodeList codes) {
        return new XmlLeaf(typeName, Kind.CODE, doc, null, null, null, null, null, codes);
    }

    /** With a pattern facet. */
    public XmlLeaf pattern(String xsdPattern) {
        return new XmlLeaf(typeName, kind, doc, xsdPattern, minLength, maxLength, minInclusive, maxInclusive, codes);
    }

    /** With length facets. */
    public XmlLeaf length(Integer min, Integer max) {
        return new XmlLeaf(typeName, kind, doc, pattern, min, max, minInclusive, maxInclusive, codes);
    }

    /** With bounds (inclusive; null for none). */
    public XmlLeaf range(String min, String max) {
        return new XmlLeaf(typeName, kind, doc, pattern, minLength, maxLength, min, max, codes);
    }

    /** The XSD type an element of this leaf refers to. */
    public String xsdTypeReference() {
        return typeName != null ? typeName : kind.xsdBase();
    }

    /**
     * The JSON value of an element's text, which has passed the XSD.
     *
     * @throws IllegalArgumentException if the text is not of this type after all
     */
    public JsonNode read(String text) {
        switch (kind) {
            case TEXT:
                return TextNode.valueOf(text);
            case TOKEN:
            case DATE:
            case DATE_TIME:
                return TextNode.valueOf(collapse(text));
            case LONG:
                return LongNode.valueOf(Long.parseLong(collapse(text)));
            case INT:
                return IntNode.valueOf(Integer.parseInt(collapse(text)));
            case DECIMAL:
                return number(new BigDecimal(collapse(text)));
            case BOOLEAN: {
                String b = collapse(text);
                if (b.equals("true") || b.equals("1")) {
                    return BooleanNode.TRUE;
                }
                if (b.equals("false") || b.equals("0")) {
                    return BooleanNode.FALSE;
                }
                throw new IllegalArgumentException("not a boolean");
            }
            case CODE: {
                String code = collapse(text);
                return TextNode.valueOf(codes.canonical(code)
                        .orElseThrow(() -> new IllegalArgumentException("'" + code + "' is not in the code list "
                                + typeName)));
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** An integral decimal becomes a JSON integer, as the canonical form has it (5.0 is 5). */
    private static JsonNode number(BigDecimal value) {
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            BigInteger integer = stripped.toBigIntegerExact();
            return integer.bitLength() < 64 ? LongNode.valueOf(integer.longValue()) : BigIntegerNode.valueOf(integer);
        }
        return DecimalNode.valueOf(stripped);
    }

    /**
     * The lexical form of a canonical JSON value.
     *
     * @param pointer where the value is, for the message only
     * @throws IllegalArgumentException if the value is not of this type
     */
    public String write(JsonNode value, String pointer) {
        switch (kind) {
            case TEXT:
            case TOKEN:
            case DATE:
                return textual(value, pointer);
            case DATE_TIME:
                // RFC 3339 lets 't' and 'z' be lower case; xs:dateTime does not.
                return textual(value, pointer).replace('t', 'T').replace('z', 'Z');
            case LONG:
            case INT:
                return integral(value, pointer).toString();
            case DECIMAL: {
                if (!value.isNumber()) {
                    throw mismatch(pointer, "a number");
                }
                JsonNode n = number(value.decimalValue());
                return n.isIntegralNumber() ? n.bigIntegerValue().toString() : n.decimalValue().toPlainString();
            }
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw mismatch(pointer, "a boolean");
                }
                return Boolean.toString(value.booleanValue());
            case CODE: {
                String canonical = textual(value, pointer);
                return codes.xml(canonical).orElseThrow(() -> new IllegalArgumentException("the value at "
                        + pointer + " is not one of the codes " + typeName + " can carry"));
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    private static String textual(JsonNode value, String pointer) {
        if (!value.isTextual()) {
            throw mismatch(pointer, "a string");
        }
        return value.textValue();
    }

    private static BigInteger integral(JsonNode value, String pointer) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isNumber()) {
            JsonNode n = number(value.decimalValue());
            if (n.isIntegralNumber()) {
                return n.bigIntegerValue();
            }
        }
        throw mismatch(pointer, "an integer");
    }

    private static IllegalArgumentException mismatch(String pointer, String expected) {
        return new IllegalArgumentException("the value at " + pointer + " is not " + expected);
    }

    /** XSD's whiteSpace="collapse": trim, and runs of white space become one space. */
    static String collapse(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isXmlSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isXmlSpace(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = null;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isXmlSpace(c) && (c != ' ' || isXmlSpace(text.charAt(i + 1)))) {
                if (out == null) {
                    out = new StringBuilder(text.substring(start, i));
                }
                out.append(' ');
                while (i + 1 < end && isXmlSpace(text.charAt(i + 1))) {
                    i++;
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out != null ? out.toString() : text.substring(start, end);
    }

    private static boolean isXmlSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
