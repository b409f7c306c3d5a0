package vn.lienthong.schemas.v1;

import java.util.Objects;

/** An e-commerce platform and the organization that operates it. */
public record Platform(String name, String domain, Organization operator) {
    public Platform {
        Objects.requireNonNull(name, "name");
    }
}
