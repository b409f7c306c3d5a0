package vn.lienthong.schemas.errors;

import java.util.Objects;

/**
 * One problem found in an input: a stable code, where it is (a JSON pointer into the document, or
 * {@code ""} for the whole input) and a human-readable explanation.
 *
 * <p>Messages never contain the offending value of a personal identifier in clear.
 */
public record ValidationError(ErrorCode code, String pointer, String message) {

    public ValidationError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    /** Shorthand. */
    public static ValidationError of(ErrorCode code, String pointer, String message) {
        return new ValidationError(code, pointer, message);
    }

    @Override
    public String toString() {
        return code + " at '" + pointer + "': " + message;
    }
}
