package vn.lienthong.schemas.v1;

import java.util.Objects;

/** One product listing on a platform. */
public record Listing(String url, String title, Shop shop) {
    public Listing {
        Objects.requireNonNull(url, "url");
    }
}
