package vn.lienthong.schemas.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.v1.Envelope;

/** The outcome of validating one input: a typed message, or every error found. */
public sealed interface ValidationResult {

    /** Whether the input was accepted. */
    boolean valid();

    /** The errors; empty when valid. */
    List<ValidationError> errors();

    /**
     * An accepted message: the typed record and the normalized JSON it was read from (NFC text,
     * provinces resolved with their original kept).
     */
    record Valid(Envelope message, ObjectNode normalized) implements ValidationResult {
        public Valid {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(normalized, "normalized");
        }

        @Override
        public boolean valid() {
            return true;
        }

        @Override
        public List<ValidationError> errors() {
            return List.of();
        }
    }

    /** A refused input with at least one error, sorted by pointer. */
    record Invalid(List<ValidationError> errors) implements ValidationResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one error");
            }
        }

        @Override
        public boolean valid() {
            return false;
        }

        /** The distinct codes, in order of first appearance. */
        public List<ErrorCode> codes() {
            return errors.stream().map(ValidationError::code).distinct().toList();
        }
    }
}
