package vn.lienthong.connectors.xml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * A connector for one XML profile: one message per input (a JMS message body or a file), decoded
 * through {@link XmlProfileParser} and the profile's XSD; any failure concerns the whole input and is
 * thrown as an {@link XmlDecodeException} naming the XPath and position.
 */
public abstract class XmlConnector implements Connector {

    private final XmlProfile profile;

    /** A connector for this profile. */
    protected XmlConnector(XmlProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        profile.schema(); // a missing or broken XSD fails here, not on the first message
    }

    /** The profile: its namespace, XSD and mapping tables. */
    public XmlProfile profile() {
        return profile;
    }

    @Override
    public String format() {
        return profile.format();
    }

    @Override
    public String mediaType() {
        return "application/xml";
    }

    @Override
    public String extension() {
        return ".xml";
    }

    @Override
    public void decode(InputStream in, String sourceName, DecodedSink sink) throws XmlDecodeException, IOException {
        byte[] bytes = XmlProfileParser.readLimited(in);
        ObjectNode envelope = profile.decode(bytes);
        String root = "/" + profile.messages().stream()
                .filter(m -> m.type().wireName().equals(envelope.path("type").asText()))
                .findFirst().orElseThrow().root();
        sink.accept(new Decoded.Canonical(CanonicalJson.mapper().writeValueAsBytes(envelope), root));
    }

    /** The XPath of the element that carries the member, from the profile's tables (README mapping tables). */
    @Override
    public String nativeLocation(Decoded.Canonical item, String canonicalPointer) {
        try {
            String xpath = profile.xpath(CanonicalJson.mapper().readTree(item.json()), canonicalPointer);
            return xpath.isEmpty() ? canonicalPointer : xpath;
        } catch (IOException e) {
            return canonicalPointer;
        }
    }

    /**
     * Encodes the journal's canonical JSON (the typed message is used only when it is absent).
     *
     * @throws IllegalArgumentException if this profile does not carry the message's type, or a
     *     member has no place in it
     */
    @Override
    public byte[] encode(Envelope message, byte[] canonicalJson) {
        JsonNode tree;
        try {
            tree = canonicalJson != null ? CanonicalJson.mapper().readTree(canonicalJson)
                    : CanonicalJson.mapper().valueToTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the canonical message is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the canonical message cannot be read", e);
        }
        return profile.encode(tree);
    }
}
