package vn.lienthong.gateway.ingress;

import java.time.Instant;
import java.util.Objects;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.message.Source;

/**
 * One input's arrival as a channel received it: its source, the format the channel carries, when,
 * and what the channel's identity check said about its sender (its bytes are read through
 * {@link IngressPipeline.WholeInput}).
 */
public record Inbound(Source source, String format, Instant receivedAt, Authentication identity) {
    public Inbound {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
