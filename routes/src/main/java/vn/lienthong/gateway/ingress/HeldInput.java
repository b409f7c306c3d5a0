package vn.lienthong.gateway.ingress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * An input held in memory (a REST body, a JMS message, a Kafka record): its bytes are the original
 * the journal keeps when it is refused whole, and a connector that cannot read them (it throws)
 * refuses it as not decodable.
 */
final class HeldInput implements IngressPipeline.WholeInput {

    private final byte[] bytes;
    private final String address;
    private final String format;
    private final int maxBytes;
    private final ValidationError channelRefusal;

    /**
     * The bytes of an input that came from {@code address} in {@code format}.
     *
     * @param maxBytes the largest input of one message
     * @param channelRefusal what the channel already knows refuses it (a JMS message type without
     *     bytes, a foreign charset declared over REST), or null
     */
    HeldInput(byte[] bytes, String address, String format, int maxBytes, ValidationError channelRefusal) {
        this.bytes = bytes;
        this.address = address;
        this.format = format;
        this.maxBytes = maxBytes;
        this.channelRefusal = channelRefusal;
    }

    @Override
    public Optional<ValidationError> refusal() {
        return channelRefusal != null ? Optional.of(channelRefusal) : IngressPipeline.heldRefusal(bytes, maxBytes);
    }

    @Override
    public void decode(Connector connector, DecodedSink sink) throws DecodeException {
        try {
            connector.decode(new ByteArrayInputStream(bytes), address, sink);
        } catch (IOException | RuntimeException e) {
            // Nothing here reads a disk or a socket: whatever the connector throws is about the bytes.
            throw new DecodeException("", "the " + format + " input could not be read: " + e.getMessage());
        }
    }

    @Override
    public String sha256() {
        return IngressPipeline.sha256(bytes);
    }

    @Override
    public byte[] original() {
        return bytes;
    }
}
