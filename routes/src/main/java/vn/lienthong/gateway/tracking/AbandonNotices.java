package vn.lienthong.gateway.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.journal.Journal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.v1.Classification;
import vn.lienthong.schemas.v1.DeliveryAbandoned;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The {@code delivery.abandoned} notice an abandon sends the sender: originated by the gateway
 * (sender {@code GATEWAY}) and recorded by the journal with its delivery, in the abandon's own
 * transaction, like the workflows' {@code deadline.overdue} — so the outbox or the inbox delivers
 * it on the sender's channel like any message, signed like every gateway notice.
 *
 * <p>Every agency that receives receipts (every sender) takes these notices about its own
 * messages, on its first channel whose format carries the type; a sender with no such channel
 * gets none (logged, and the audit entry says so).
 */
public final class AbandonNotices {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonNotices.class);
    /** The sender of everything the gateway says itself (as on receipts and deadline notices). */
    public static final String GATEWAY = "GATEWAY";

    private final Journal journal;
    private final java.util.function.Supplier<Registry> registry;
    private final UnaryOperator<byte[]> signer;

    /**
     * @param journal records the notices; it must join the transactions the tracking runs in
     * @param signer signs a notice's canonical JSON, kept as its receipt in the journal
     */
    public AbandonNotices(Journal journal, Registry registry, UnaryOperator<byte[]> signer) {
        this(journal, constant(registry), signer);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public AbandonNotices(Journal journal, java.util.function.Supplier<Registry> registry, UnaryOperator<byte[]> signer) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    private static java.util.function.Supplier<Registry> constant(Registry registry) {
        Objects.requireNonNull(registry, "registry");
        return () -> registry;
    }

    /** One abandoned delivery, as the abandon's update returned it. */
    record Abandoned(UUID deliveryId, UUID messageId, String sender, String correlationId, String recipient,
            int attempts, boolean orderKeyReleased, String reason, Instant at) {
    }

    /** The channel the sender takes gateway notices on, if it takes them. */
    Optional<Channel> channelOf(String sender) {
        return registry.get().agency(sender)
                .filter(a -> a.mayReceive(MessageType.RECEIPT))
                .flatMap(a -> a.channels().stream().filter(c -> c.format().carries(MessageType.DELIVERY_ABANDONED))
                        .findFirst());
    }

    /** Records the notice to the sender (joining the caller's transaction); its message id, if one was sent. */
    Optional<UUID> send(Abandoned a) {
        Optional<Channel> channel = channelOf(a.sender());
        if (channel.isEmpty()) {
            LOG.warn("delivery {} abandoned; its sender {} takes no delivery.abandoned notice", a.deliveryId(),
                    a.sender());
            return Optional.empty();
        }
        UUID noticeId = UUID.randomUUID();
        DeliveryAbandoned payload = new DeliveryAbandoned(a.deliveryId(), a.recipient(), a.attempts(),
                a.at().atOffset(ZoneOffset.UTC), a.reason(), a.orderKeyReleased());
        Envelope notice = new Envelope(noticeId, "1.0", GATEWAY, List.of(a.sender()), a.correlationId(),
                a.messageId(), a.at().atOffset(ZoneOffset.UTC), Priority.NORMAL, Classification.INTERNAL, null, null,
                payload, null);
        byte[] canonical;
        try {
            canonical = CanonicalJson.mapper().writeValueAsBytes(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an abandon notice could not be written", e);
        }
        Channel c = channel.get();
        PlannedDelivery delivery = new PlannedDelivery(UUID.randomUUID(), a.sender(), c.kind(), c.deliveryAddress(),
                c.format().name(), null);
        journal.record(List.of(new JournalEntry.Accepted(notice, canonical, canonical, sha256(canonical),
                new Source(ChannelKind.REST, "gateway/operator", GATEWAY), a.at(), List.of(delivery),
                signer.apply(canonical))));
        LOG.info("delivery {} to {} abandoned: delivery.abandoned {} to {}", a.deliveryId(), a.recipient(), noticeId,
                a.sender());
        return Optional.of(noticeId);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
