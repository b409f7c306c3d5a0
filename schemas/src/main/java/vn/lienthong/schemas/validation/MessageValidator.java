package vn.lienthong.schemas.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.lienthong.schemas.SchemaCatalog;
import vn.lienthong.schemas.ValidatorSettings;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.ids.VietnameseText;
import vn.lienthong.schemas.input.StrictInput;
import vn.lienthong.schemas.rules.BusinessRules;
import vn.lienthong.schemas.v1.Envelope;

/**
 * The one validator: bytes in, either the typed message or every error found, each with a stable
 * code and a JSON pointer. It never throws on bad input. Steps: read strictly, normalize text to
 * NFC, check against the v1 schemas, apply the business rules (which also normalize identifiers
 * and provinces), bind to records.
 */
public final class MessageValidator {

    private static final Comparator<ValidationError> ORDER = Comparator
            .comparing(ValidationError::pointer)
            .thenComparing(e -> e.code().name());

    private final StrictInput input;
    private final SchemaCheck schema;
    private final BusinessRules rules;

    /** A validator with the given settings. */
    public MessageValidator(ValidatorSettings settings) {
        this.input = new StrictInput(settings.maxBytes(), settings.maxNestingDepth());
        this.schema = new SchemaCheck(SchemaCatalog.get());
        this.rules = new BusinessRules(settings);
    }

    /** A validator with the default settings. */
    public MessageValidator() {
        this(ValidatorSettings.defaults());
    }

    /** Validates one input. */
    public ValidationResult validate(byte[] bytes) {
        try {
            return validateTree(bytes);
        } catch (RuntimeException e) {
            // A bug in a rule must not turn bad input into an exception at the channel; refuse it instead.
            return new ValidationResult.Invalid(List.of(ValidationError.of(ErrorCode.SCHEMA_VIOLATION, "",
                    "the validator failed on this input (" + e.getClass().getSimpleName() + "); it is kept for analysis")));
        }
    }

    /** Validates an already parsed tree (a connector's decoded output); the tree is not modified. */
    public ValidationResult validate(JsonNode tree) {
        if (!(tree instanceof ObjectNode object)) {
            return new ValidationResult.Invalid(List.of(notAnObject(tree)));
        }
        return check(object.deepCopy());
    }

    private ValidationResult validateTree(byte[] bytes) {
        JsonNode tree;
        try {
            tree = input.json(bytes);
        } catch (StrictInput.Refusal refusal) {
            return new ValidationResult.Invalid(List.of(readError(refusal, bytes)));
        }
        if (!(tree instanceof ObjectNode object)) {
            return new ValidationResult.Invalid(List.of(notAnObject(tree)));
        }
        return check(object);
    }

    /** Step 1's refusal in the words this validator has always published ("the body ..."). */
    private ValidationError readError(StrictInput.Refusal r, byte[] bytes) {
        String where = r.where();
        return switch (r.kind()) {
            case EMPTY -> ValidationError.of(r.code(), "", "the body is empty");
            case TOO_LARGE -> ValidationError.of(r.code(), "", "the body has " + bytes.length
                    + " bytes, more than the limit of " + input.maxBytes() + " (attachments travel by reference)");
            case INVALID_UTF8 -> ValidationError.of(r.code(), "", "the body is not well-formed UTF-8 (bad byte at offset "
                    + r.byteOffset() + ")");
            case BLANK -> ValidationError.of(r.code(), "", "the body holds only white space");
            case NO_VALUE -> ValidationError.of(r.code(), "", "the body holds no JSON value");
            // The whole input, as this validator has always said (the message names the position).
            case NESTING_TOO_DEEP -> ValidationError.of(r.code(), "", "nesting is deeper than allowed (" + where + ")");
            case VALUE_TOO_LONG -> ValidationError.of(r.code(), "", "a value is longer than allowed (" + where + ")");
            case DUPLICATE_KEY -> ValidationError.of(r.code(), r.pointer(), "the key '" + r.detail()
                    + "' appears twice in one object (" + where + ")");
            case TRAILING_CONTENT, MALFORMED_JSON -> ValidationError.of(r.code(), "", "not valid JSON: " + r.detail()
                    + " (" + where + ")");
        };
    }

    private ValidationResult check(ObjectNode tree) {
        normalizeValues(tree);
        List<ValidationError> errors = new ArrayList<>(schema.check(tree));
        List<ValidationError> ruleErrors = rules.apply(tree);
        if (ruleErrors.stream().anyMatch(e -> e.code() == ErrorCode.STATE_SECRET_NOT_ALLOWED)) {
            // The schema's "not in the enum" says less than the rule: keep the specific code only.
            errors.removeIf(e -> e.pointer().equals("/classification"));
        }
        errors.addAll(ruleErrors);
        if (!errors.isEmpty()) {
            return new ValidationResult.Invalid(distinctSorted(errors));
        }
        try {
            Envelope message = CanonicalJson.mapper().treeToValue(tree, Envelope.class);
            return new ValidationResult.Valid(message, tree);
        } catch (Exception e) {
            // Records mirror the schemas; a binding failure here is a schema/record mismatch (a bug).
            return new ValidationResult.Invalid(List.of(ValidationError.of(ErrorCode.SCHEMA_VIOLATION, "",
                    "accepted by the schema but not by the v1 records: " + e.getClass().getSimpleName())));
        }
    }

    private static ValidationError notAnObject(JsonNode tree) {
        String kind = tree == null ? "nothing" : tree.getNodeType().name().toLowerCase();
        return ValidationError.of(ErrorCode.NOT_AN_OBJECT, "", "a message is a JSON object, not " + kind);
    }

    /** One error per code and place, the first explanation kept, ordered by place. */
    private static List<ValidationError> distinctSorted(List<ValidationError> errors) {
        Map<String, ValidationError> distinct = new LinkedHashMap<>();
        for (ValidationError e : errors) {
            distinct.putIfAbsent(e.code() + " " + e.pointer(), e);
        }
        return distinct.values().stream().sorted(ORDER).toList();
    }

    /**
     * Every string in NFC, so that names compare equal whatever form the sender used; every number
     * with a zero fraction (5.0) as the integer it is (JSON Schema 2020-12 counts it as one).
     */
    static void normalizeValues(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode normal = normalValue(e.getValue());
                if (normal != null) {
                    e.setValue(normal);
                } else {
                    normalizeValues(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode normal = normalValue(array.get(i));
                if (normal != null) {
                    array.set(i, normal);
                } else {
                    normalizeValues(array.get(i));
                }
            }
        }
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The normal form of a scalar, or null when the node is a container or already normal. */
    private static JsonNode normalValue(JsonNode value) {
        if (value.isTextual()) {
            // ASCII is NFC already, and most text is ASCII or NFC: a node is replaced only if it changes.
            String text = value.textValue();
            if (ascii(text)) {
                return null;
            }
            String nfc = VietnameseText.nfc(text);
            return nfc.equals(text) ? null : TextNode.valueOf(nfc);
        }
        if (value.isFloatingPointNumber()) {
            BigDecimal d = value.decimalValue();
            if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
                return JsonNodeFactory.instance.numberNode(d.toBigIntegerExact());
            }
        }
        return null;
    }
}
