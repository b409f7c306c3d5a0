package vn.lienthong.schemas.ids;

import java.util.Objects;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * The outcome of checking one identifier: either a normalized value, or an error code with a
 * problem sentence that never repeats the value (identifiers are personal data and must stay out
 * of logs).
 */
public record IdCheck(String normalized, ErrorCode error, String problem) {

    public IdCheck {
        boolean ok = error == null;
        if (ok && (normalized == null || problem != null)) {
            throw new IllegalArgumentException("a valid IdCheck has a normalized value and no problem");
        }
        if (!ok && (normalized != null || problem == null || problem.isBlank())) {
            throw new IllegalArgumentException("an invalid IdCheck has a problem and no normalized value");
        }
    }

    /** A valid identifier in its normalized form. */
    public static IdCheck ok(String normalized) {
        return new IdCheck(Objects.requireNonNull(normalized, "normalized"), null, null);
    }

    /** An invalid identifier; {@code problem} must not contain the value. */
    public static IdCheck invalid(ErrorCode error, String problem) {
        return new IdCheck(null, Objects.requireNonNull(error, "error"), problem);
    }

    /** Whether the identifier passed. */
    public boolean valid() {
        return error == null;
    }

    /** Masks the value, so that logging an IdCheck never writes an identifier in clear. */
    @Override
    public String toString() {
        return valid() ? "IdCheck[valid]" : "IdCheck[" + error + ": " + problem + "]";
    }
}
