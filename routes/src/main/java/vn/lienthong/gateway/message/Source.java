package vn.lienthong.gateway.message;

import java.util.Objects;
import vn.lienthong.gateway.registry.ChannelKind;

/**
 * Where an input came from: the kind of channel, its address (queue, topic, SFTP path, or the
 * REST path) and the agency that owns it (null when the channel does not say).
 */
public record Source(ChannelKind channel, String address, String agency) {
    public Source {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(address, "address");
    }
}
