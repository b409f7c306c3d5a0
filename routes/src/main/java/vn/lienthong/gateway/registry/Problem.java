package vn.lienthong.gateway.registry;

import java.util.Objects;

/**
 * One thing wrong in a registry file, where it is and what it is.
 *
 * @param line 1-based line, or 0 when the problem concerns the whole file (e.g. it cannot be read)
 */
public record Problem(String file, int line, String message) {

    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line < 0");
        }
    }

    /** {@code file:line: message}, the form editors and CI logs link to. */
    @Override
    public String toString() {
        return line == 0 ? file + ": " + message : file + ":" + line + ": " + message;
    }
}
