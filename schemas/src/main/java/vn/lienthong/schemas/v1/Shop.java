package vn.lienthong.schemas.v1;

import java.util.Objects;

/** A seller's shop on a platform. */
public record Shop(String name, String url, String platformShopId) {
    public Shop {
        Objects.requireNonNull(name, "name");
    }
}
