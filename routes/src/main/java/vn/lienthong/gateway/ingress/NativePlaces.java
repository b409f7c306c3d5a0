package vn.lienthong.gateway.ingress;

import java.util.ArrayList;
import java.util.List;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Adds to the validation errors of a decoded native input where each member stands in that input
 * (an XPath, a CSV line and column, a police JSON pointer), as its connector says: the sender
 * fixes its own document, not the canonical JSON it never wrote. The pointer stays canonical, so
 * error codes and pointers read the same on every channel.
 */
final class NativePlaces {

    private NativePlaces() {
    }

    /** The errors, each message prefixed "at <native place> (canonical <pointer>): " where the place differs. */
    static List<ValidationError> of(Connector connector, Decoded.Canonical item, List<ValidationError> errors) {
        List<ValidationError> out = new ArrayList<>(errors.size());
        for (ValidationError e : errors) {
            String place;
            try {
                place = connector.nativeLocation(item, e.pointer());
            } catch (RuntimeException ex) {
                place = null; // a connector's mapping must never hide the error itself
            }
            if (place == null || place.isEmpty() || place.equals(e.pointer())) {
                out.add(e);
            } else {
                out.add(ValidationError.of(e.code(), e.pointer(), "at " + place + " (canonical "
                        + (e.pointer().isEmpty() ? "message" : e.pointer()) + "): " + e.message()));
            }
        }
        return out;
    }
}
