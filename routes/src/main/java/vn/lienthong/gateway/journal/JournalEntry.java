package vn.lienthong.gateway.journal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;

/** One input to record: accepted with its deliveries, or refused into quarantine. */
public sealed interface JournalEntry {

    /** The input's channel. */
    Source source();

    /** The bytes as received. */
    byte[] original();

    /** SHA-256 of {@link #original()}, lower-case hex. */
    String inputSha256();

    /** When the gateway received it. */
    Instant receivedAt();

    /** The signed receipt for the sender (a compact JWS), ready to send once recorded; kept for duplicates. */
    byte[] receipt();

    /** The same entry with another receipt (the signed form of the one it has). */
    JournalEntry withReceipt(byte[] receipt);

    /**
     * An input that passed every check. If the sender already sent this messageId, nothing is
     * recorded and the original receipt is returned instead.
     *
     * @param signature what the input's own signature established (its connector's mark)
     */
    record Accepted(Envelope message, byte[] canonical, byte[] original, String inputSha256, Source source,
            Instant receivedAt, List<PlannedDelivery> deliveries, byte[] receipt, Decoded.Signature signature)
            implements JournalEntry {
        /** Checks every member is there. */
        public Accepted {
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(canonical, "canonical");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(inputSha256, "inputSha256");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(receivedAt, "receivedAt");
            deliveries = List.copyOf(deliveries);
            Objects.requireNonNull(receipt, "receipt");
        }

        @Override
        public Accepted withReceipt(byte[] receipt) {
            return new Accepted(message, canonical, original, inputSha256, source, receivedAt, deliveries, receipt,
                    signature);
        }

        /** An input of a format without signatures of its own. */
        public Accepted(Envelope message, byte[] canonical, byte[] original, String inputSha256, Source source,
                Instant receivedAt, List<PlannedDelivery> deliveries, byte[] receipt) {
            this(message, canonical, original, inputSha256, source, receivedAt, deliveries, receipt,
                    Decoded.Signature.NOT_APPLICABLE);
        }
    }

    /** An input refused with its errors; kept in quarantine with its original bytes. */
    record Refused(UUID quarantineId, Source source, String claimedSender, UUID messageId, byte[] original,
            String inputSha256, Instant receivedAt, List<ValidationError> errors, byte[] receipt)
            implements JournalEntry {
        public Refused {
            Objects.requireNonNull(quarantineId, "quarantineId");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(inputSha256, "inputSha256");
            Objects.requireNonNull(receivedAt, "receivedAt");
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a refused input has at least one error");
            }
            Objects.requireNonNull(receipt, "receipt");
        }

        @Override
        public Refused withReceipt(byte[] receipt) {
            return new Refused(quarantineId, source, claimedSender, messageId, original, inputSha256, receivedAt,
                    errors, receipt);
        }
    }
}
