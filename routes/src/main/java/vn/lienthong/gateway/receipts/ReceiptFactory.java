package vn.lienthong.gateway.receipts;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.v1.Classification;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Receipt;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Builds receipts as canonical {@code receipt} messages from the gateway to the sender, so that
 * every agency reads them with the same schema as any other message, each signed by the gateway
 * ({@link ReceiptSigner}): what it returns, and what the journal keeps, is the compact JWS.
 */
public final class ReceiptFactory {

    /** The sender code of everything the gateway itself says. */
    public static final String GATEWAY = "GATEWAY";

    /** Whether receipts written on this thread are left unsigned, for signing as one batch. */
    private static final ThreadLocal<Boolean> UNSIGNED = ThreadLocal.withInitial(() -> false);

    private final Clock clock;
    private final ReceiptSigner signer;

    /** Receipts stamped with the given clock and signed by {@code signer}. */
    public ReceiptFactory(Clock clock, ReceiptSigner signer) {
        this.clock = clock;
        this.signer = signer;
    }

    /**
     * An ACCEPTED receipt naming the deliveries created and, for a format that carries signatures,
     * whether the input was signed and by whom; signed (compact JWS bytes).
     */
    public byte[] accepted(Envelope message, Source source, String inputSha256, OffsetDateTime receivedAt,
            List<PlannedDelivery> deliveries, Decoded.Signature signature) {
        Receipt receipt = new Receipt(Receipt.Status.ACCEPTED, message.messageId(), receivedAt, inputSha256,
                channel(source.channel()), null, null,
                deliveries.stream().map(d -> new Receipt.Delivery(d.recipient(), d.id())).toList(),
                signature(signature));
        return write(envelope(message.sender(), message.messageId(), message.correlationId(), receipt));
    }

    /** A REJECTED receipt with every error, signed; {@code messageId} when the input had a readable one. */
    public byte[] rejected(String sender, UUID messageId, Source source, String inputSha256, OffsetDateTime receivedAt,
            List<ValidationError> errors) {
        Receipt receipt = new Receipt(Receipt.Status.REJECTED, messageId, receivedAt, inputSha256,
                channel(source.channel()), null,
                errors.stream().map(e -> new Receipt.Error(e.code().name(), e.pointer(), e.message())).toList(), null);
        return write(envelope(sender, messageId, null, receipt));
    }

    private Envelope envelope(String recipient, UUID inReplyTo, String correlationId, Receipt receipt) {
        return new Envelope(UUID.randomUUID(), "1.0", GATEWAY, List.of(recipient), correlationId, inReplyTo,
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), null, Classification.INTERNAL,
                null, null, receipt, null);
    }

    private static Receipt.Signature signature(Decoded.Signature s) {
        return switch (s.status()) {
            case NOT_APPLICABLE -> null;
            case UNSIGNED -> new Receipt.Signature(Receipt.Signature.Status.UNSIGNED, null, null, null);
            case VERIFIED -> new Receipt.Signature(Receipt.Signature.Status.VERIFIED, s.agency(), s.subject(),
                    s.fingerprint());
        };
    }

    private static Receipt.Channel channel(ChannelKind kind) {
        return switch (kind) {
            case REST -> Receipt.Channel.REST;
            case JMS -> Receipt.Channel.JMS;
            case KAFKA -> Receipt.Channel.KAFKA;
            case SFTP -> Receipt.Channel.SFTP;
        };
    }

    /**
     * Runs {@code work} with the receipts this thread writes left unsigned (their JSON), for a caller
     * that then signs them all with one signature ({@link #signTogether}) before anything is recorded
     * or sent.
     */
    public <T> T unsigned(Supplier<T> work) {
        boolean outer = UNSIGNED.get();
        UNSIGNED.set(true);
        try {
            return work.get();
        } finally {
            UNSIGNED.set(outer);
        }
    }

    /** Receipts written under {@link #unsigned}, signed as one batch ({@link ReceiptSigner#signBatch}). */
    public List<byte[]> signTogether(List<byte[]> receiptJsons) {
        return receiptJsons.isEmpty() ? List.of() : signer.signBatch(receiptJsons);
    }

    private byte[] write(Envelope receipt) {
        try {
            byte[] json = CanonicalJson.mapper().writeValueAsBytes(receipt);
            return UNSIGNED.get() ? json : signer.sign(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a receipt could not be written", e);
        }
    }
}
