package vn.lienthong.schemas.v1;

import java.util.Objects;

/** A postal address after the 2025 reform: line, commune, province (no district). */
public record Address(String line, String commune, Province province) {
    public Address {
        Objects.requireNonNull(line, "line");
    }
}
