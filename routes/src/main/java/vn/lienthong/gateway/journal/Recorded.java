package vn.lienthong.gateway.journal;

import java.util.UUID;

/** What recording did with one entry; every variant carries the receipt to give the sender. */
public sealed interface Recorded {

    /** The signed receipt for the sender (a compact JWS, see the receipts package), byte for byte as first recorded. */
    byte[] receipt();

    /** A new message with its deliveries. */
    record Accepted(long seq, byte[] receipt) implements Recorded {
    }

    /** A messageId the sender had already sent: nothing recorded; the original signed receipt, identical bytes. */
    record Duplicate(long seq, byte[] receipt) implements Recorded {
    }

    /** A refused input, kept in quarantine. */
    record Quarantined(UUID id, byte[] receipt) implements Recorded {
    }
}
