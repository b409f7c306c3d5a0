package vn.lienthong.schemas.v1;

import java.time.LocalDate;
import java.util.Objects;

/** A span of days, both ends included. */
public record Period(LocalDate from, LocalDate to) {
    public Period {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
