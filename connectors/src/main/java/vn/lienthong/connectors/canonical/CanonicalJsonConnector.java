package vn.lienthong.connectors.canonical;

import java.io.IOException;
import java.io.InputStream;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.v1.Envelope;

/**
 * The canonical format itself: one envelope per input, passed through unchanged so that the
 * validator reads the sender's exact bytes (and reports their exact errors).
 */
public final class CanonicalJsonConnector implements Connector {

    /** The registry's name of this format. */
    public static final String FORMAT = "canonical-json";

    /** Inputs above this are refused by the validator anyway; reading stops a little past it. */
    private static final int READ_LIMIT = 64 * 1024 * 1024;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String mediaType() {
        return "application/json";
    }

    @Override
    public String extension() {
        return ".json";
    }

    @Override
    public void decode(InputStream in, String sourceName, DecodedSink sink) throws IOException {
        sink.accept(new Decoded.Canonical(in.readNBytes(READ_LIMIT), ""));
    }

    @Override
    public byte[] encode(Envelope message, byte[] canonicalJson) {
        return canonicalJson;
    }

    @Override
    public boolean encodesCanonicalAsIs() {
        return true;
    }
}
