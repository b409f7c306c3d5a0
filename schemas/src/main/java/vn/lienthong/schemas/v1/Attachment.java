package vn.lienthong.schemas.v1;

import java.util.Objects;

/** A file carried by reference (claim check), with its size and SHA-256. */
public record Attachment(String name, String mediaType, Long size, String sha256, String ref) {
    public Attachment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(ref, "ref");
    }
}
