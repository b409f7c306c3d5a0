package vn.lienthong.connectors;

import java.util.Objects;

/** One item decoded from native input: canonical JSON to validate, or why it could not be decoded. */
public sealed interface Decoded {

    /** Where in the input the item stands (e.g. "line 42", "/edXMLEnvelope/..."), or "" for the whole input. */
    String location();

    /** A canonical JSON document, not yet validated. */
    record Canonical(byte[] json, String location) implements Decoded {
        public Canonical {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(location, "location");
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
