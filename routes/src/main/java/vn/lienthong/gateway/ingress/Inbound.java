package vn.lienthong.gateway.ingress;

import java.time.Instant;
import java.util.Objects;
import vn.lienthong.gateway.journal.Source;

/** One input as a channel received it: its bytes, its source, and the format the channel carries. */
public record Inbound(byte[] bytes, Source source, String format, Instant receivedAt) {
    public Inbound {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
