package vn.lienthong.schemas.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import vn.lienthong.schemas.SchemaCatalog;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/** Checks a JSON tree against the v1 schemas and maps every finding to a stable error code. */
final class SchemaCheck {

    private final SchemaCatalog catalog;

    SchemaCheck(SchemaCatalog catalog) {
        this.catalog = catalog;
    }

    List<ValidationError> check(JsonNode tree) {
        List<ValidationError> errors = new ArrayList<>();
        for (ValidationMessage m : findings(tree)) {
            errors.add(toError(m));
        }
        return errors;
    }

    /** The validator library's own findings, with their keywords. */
    Set<ValidationMessage> findings(JsonNode tree) {
        return catalog.envelopeFor(tree).validate(tree);
    }

    private ValidationError toError(ValidationMessage m) {
        String keyword = m.getType();
        String pointer = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        if (underAnyOf(m)) {
            // The library reports the failed branches of an anyOf one by one ("cccd is required",
            // "taxCode is required"), which reads as if all were needed: report one anyOf instead.
            ErrorCode code = catalog.declaredCode(m.getSchemaLocation()).orElse(ErrorCode.SCHEMA_ANY_OF);
            return ValidationError.of(code, pointer, "anyOf: " + alternatives(m));
        }
        // For keywords about a member (required, additionalProperties, ...) point at the member.
        if (m.getProperty() != null && switch (keyword) {
            case "required", "additionalProperties", "dependentRequired", "unevaluatedProperties" -> true;
            default -> false;
        }) {
            pointer = pointer + "/" + escape(m.getProperty());
        }
        // An unexpected member is never the domain rule a subschema's code names: keep it generic.
        ErrorCode code = keyword.equals("additionalProperties") || keyword.equals("unevaluatedProperties")
                ? byKeyword(keyword)
                : catalog.declaredCode(m.getSchemaLocation()).orElseGet(() -> byKeyword(keyword));
        return ValidationError.of(code, pointer, describe(m));
    }

    /** "one of cccd, taxCode, passport is required", read from the schema's anyOf branches. */
    private String alternatives(ValidationMessage m) {
        var fragment = m.getSchemaLocation() == null ? null : m.getSchemaLocation().getFragment();
        int anyOf = -1;
        for (int i = 0; fragment != null && i < fragment.getNameCount(); i++) {
            if ("anyOf".equals(String.valueOf(fragment.getElement(i)))) {
                anyOf = i;
            }
        }
        List<String> names = new ArrayList<>();
        if (anyOf >= 0) {
            catalog.node(m.getSchemaLocation(), anyOf + 1).ifPresent(branches -> branches.forEach(
                    branch -> branch.path("required").forEach(r -> names.add(r.asText()))));
        }
        return names.isEmpty() ? "none of the alternatives holds" : "one of " + String.join(", ", names) + " is required";
    }

    private static boolean underAnyOf(ValidationMessage m) {
        var path = m.getEvaluationPath();
        for (int i = 0; path != null && i < path.getNameCount(); i++) {
            if ("anyOf".equals(String.valueOf(path.getElement(i)))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(ValidationMessage m) {
        String text = m.getError() != null ? m.getError() : m.getMessage();
        return m.getType() + ": " + text;
    }

    static ErrorCode byKeyword(String keyword) {
        String snake = keyword.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            return ErrorCode.valueOf("SCHEMA_" + snake);
        } catch (IllegalArgumentException e) {
            return ErrorCode.SCHEMA_VIOLATION;
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
