package vn.lienthong.schemas.v1;

import java.util.Objects;

/** The authority that issued a decision, with its organ id and agency code where known. */
public record Issuer(String name, String organId, String agency) {
    public Issuer {
        Objects.requireNonNull(name, "name");
    }
}
