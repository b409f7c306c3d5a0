package vn.lienthong.connectors;

import java.util.Map;
import java.util.Objects;

/** One item decoded from native input: canonical JSON to validate, or why it could not be decoded. */
public sealed interface Decoded {

    /** Where in the input the item stands (e.g. "line 42", "/edXMLEnvelope/..."), or "" for the whole input. */
    String location();

    /**
     * A canonical JSON document, not yet validated.
     *
     * @param places where members came from in the native input, canonical JSON pointer to native
     *     location, for formats whose mapping depends on the input (see {@link Connector#nativeLocation}); may be empty
     */
    record Canonical(byte[] json, String location, Map<String, String> places) implements Decoded {
        public Canonical {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(location, "location");
            places = Map.copyOf(places);
        }

        /** An item whose native places follow from the format's tables alone. */
        public Canonical(byte[] json, String location) {
            this(json, location, Map.of());
        }
    }

    /** An item that could not be decoded; the message names the line, field or XPath. */
    record Failure(String location, String message) implements Decoded {
        public Failure {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(message, "message");
        }
    }
}
