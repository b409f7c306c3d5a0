package vn.lienthong.schemas.v1;

import java.util.Objects;

/** An enterprise, household business or other organization. */
public record Organization(
        String name,
        String taxCode,
        Address address,
        String representative,
        String country) implements Subject {

    public Organization {
        Objects.requireNonNull(name, "name");
    }
}
