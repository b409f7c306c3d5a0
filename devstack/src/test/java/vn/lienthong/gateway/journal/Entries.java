package vn.lienthong.gateway.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;

/** Journal entries for tests, built from a bundled valid violation.notice. */
public final class Entries {

    private static final Envelope TEMPLATE = load();

    private Entries() {
    }

    /** The template message with another id, sender, recipients, correlationId and priority. */
    public static Envelope envelope(UUID messageId, String sender, List<String> recipients, String correlationId,
            Priority priority) {
        Envelope t = TEMPLATE;
        return new Envelope(messageId, t.schemaVersion(), sender, recipients, correlationId, t.inReplyTo(),
                t.createdAt(), priority, t.classification(), t.legalBasis(), t.deadline(), t.payload(),
                t.attachments());
    }

    /** An accepted message with the given deliveries; its receipt is {@code receipt} in UTF-8. */
    public static JournalEntry.Accepted accepted(Envelope message, String receipt, PlannedDelivery... deliveries) {
        byte[] canonical = canonical(message);
        return new JournalEntry.Accepted(message, canonical, canonical.clone(), sha256(canonical),
                new Source(ChannelKind.JMS, "lienthong.in." + message.sender(), message.sender()),
                Instant.now().truncatedTo(ChronoUnit.MICROS), Arrays.asList(deliveries),
                receipt.getBytes(StandardCharsets.UTF_8));
    }

    /** A normal message from {@code sender} to the deliveries' recipients. */
    public static JournalEntry.Accepted accepted(String sender, UUID messageId, String receipt,
            PlannedDelivery... deliveries) {
        List<String> recipients = Arrays.stream(deliveries).map(PlannedDelivery::recipient).distinct().toList();
        return accepted(envelope(messageId, sender, recipients.isEmpty() ? List.of("MOIT.ECDE") : recipients, null,
                null), receipt, deliveries);
    }

    /** A delivery to a Kafka topic. */
    public static PlannedDelivery push(String recipient, String orderKey) {
        return new PlannedDelivery(UUID.randomUUID(), recipient, ChannelKind.KAFKA, "lienthong.out." + recipient,
                "canonical-json", orderKey);
    }

    /** A delivery to an inbox the recipient pulls. */
    public static PlannedDelivery pull(String recipient) {
        return new PlannedDelivery(UUID.randomUUID(), recipient, ChannelKind.REST, null, "canonical-json", null);
    }

    /** A refused input with two errors. */
    public static JournalEntry.Refused refused(UUID quarantineId, byte[] original, String receipt) {
        return new JournalEntry.Refused(quarantineId, new Source(ChannelKind.SFTP, "/in/PROV.79/drop-1.json", "PROV.79"),
                "PROV.79", UUID.randomUUID(), original, sha256(original), Instant.now().truncatedTo(ChronoUnit.MICROS),
                List.of(ValidationError.of(ErrorCode.SCHEMA_REQUIRED, "/payload/caseRef", "caseRef is required"),
                        ValidationError.of(ErrorCode.INVALID_CCCD, "/payload/subjects/0/cccd",
                                "not a valid CCCD number")),
                receipt.getBytes(StandardCharsets.UTF_8));
    }

    /** The canonical JSON of a message. */
    public static byte[] canonical(Envelope message) {
        try {
            return CanonicalJson.mapper().writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Envelope load() {
        String name = "lienthong/examples/v1/violation.notice/valid-minimal-foreign-seller.json";
        try (InputStream in = Entries.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return CanonicalJson.mapper().readValue(in, Envelope.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
