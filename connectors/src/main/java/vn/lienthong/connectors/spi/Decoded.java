package vn.lienthong.connectors.spi;

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
    record Canonical(byte[] json, String location, Map<String, String> places, Signature signature)
            implements Decoded {
        public Canonical {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(location, "location");
            places = Map.copyOf(places);
            Objects.requireNonNull(signature, "signature");
        }

        /** An item of a format without signatures, with native places recorded by the decoder. */
        public Canonical(byte[] json, String location, Map<String, String> places) {
            this(json, location, places, Signature.NOT_APPLICABLE);
        }

        /** An item whose native places follow from the format's tables alone. */
        public Canonical(byte[] json, String location) {
            this(json, location, Map.of());
        }

        /** The same item with what its input's signature established. */
        public Canonical signed(Signature s) {
            return new Canonical(json, location, places, s);
        }
    }

    /**
     * What the native input's own signature (edXML's XML-DSig) established about an item.
     *
     * @param status whether the format signs, and whether this input was signed and verified
     * @param agency the agency whose configured certificate verified the signature, or ""
     * @param subject the signer certificate's subject (RFC 2253), or ""
     * @param fingerprint the signer certificate's SHA-256 fingerprint, lower-case hex, or ""
     */
    record Signature(Status status, String agency, String subject, String fingerprint) {

        /** Whether an input's signature was there and verified. */
        public enum Status {
            /** The format has no signature of its own (the channel authenticates the sender). */
            NOT_APPLICABLE,
            /** The format can carry a signature, and this input carried none. */
            UNSIGNED,
            /** The signature verified with a certificate configured for the sender. */
            VERIFIED
        }

        /** A format without signatures. */
        public static final Signature NOT_APPLICABLE = new Signature(Status.NOT_APPLICABLE, "", "", "");

        /** An input that could have been signed and was not. */
        public static final Signature UNSIGNED = new Signature(Status.UNSIGNED, "", "", "");

        /** Checks that a verified signature names its signer and the other statuses none. */
        public Signature {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(agency, "agency");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(fingerprint, "fingerprint");
            if ((status == Status.VERIFIED) == (agency.isEmpty() || subject.isEmpty() || fingerprint.isEmpty())) {
                throw new IllegalArgumentException(status == Status.VERIFIED
                        ? "a verified signature names its signer's agency, subject and fingerprint"
                        : "only a verified signature has a signer");
            }
        }

        /** A signature verified with this certificate of {@code agency}. */
        public static Signature verified(String agency, String subject, String fingerprint) {
            return new Signature(Status.VERIFIED, agency, subject, fingerprint);
        }

        /** The verified signer in words ("PROV.37 (CN=..., SHA-256 ab12...)"), or "". */
        public String signer() {
            return status == Status.VERIFIED ? agency + " (" + subject + ", SHA-256 " + fingerprint + ")" : "";
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
