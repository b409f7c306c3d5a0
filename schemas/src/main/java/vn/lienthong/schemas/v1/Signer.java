package vn.lienthong.schemas.v1;

import java.util.Objects;

/** Who signed a decision: name and position. */
public record Signer(String fullName, String position) {
    public Signer {
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(position, "position");
    }
}
