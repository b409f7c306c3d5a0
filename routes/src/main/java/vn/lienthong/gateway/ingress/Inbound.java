package vn.lienthong.gateway.ingress;

import java.time.Instant;
import java.util.Objects;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.message.Source;

/**
 * One input as a channel received it: its bytes, its source, the format the channel carries, and
 * what the channel's identity check said about its sender.
 */
public record Inbound(byte[] bytes, Source source, String format, Instant receivedAt, Authentication identity) {
    public Inbound {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
