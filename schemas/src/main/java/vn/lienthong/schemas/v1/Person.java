package vn.lienthong.schemas.v1;

import java.util.Objects;

/** A natural person, identified by CCCD, personal tax code or passport. */
public record Person(
        String fullName,
        String cccd,
        String taxCode,
        String passport,
        String nationality,
        Integer birthYear,
        Address address,
        String phone) implements Subject {

    public Person {
        Objects.requireNonNull(fullName, "fullName");
        if (cccd == null && taxCode == null && passport == null) {
            throw new IllegalArgumentException("a person needs a cccd, taxCode or passport");
        }
    }

    /** Never prints identifiers in clear. */
    @Override
    public String toString() {
        return "Person[identifiers redacted]";
    }
}
