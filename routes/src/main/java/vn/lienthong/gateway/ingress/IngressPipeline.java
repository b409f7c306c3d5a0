package vn.lienthong.gateway.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.policy.Authorizer;
import vn.lienthong.gateway.policy.SignaturePolicy;
import vn.lienthong.gateway.receipts.ReceiptFactory;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * The checks of DESIGN.md §2 for one input, up to what the journal records: identify (the
 * channel's identity check, done before), decode (the channel's connector), validate (schemas and
 * business rules), authorize (identity, roles and registry), plan the
 * deliveries and write the receipt. An unsigned item where the registry requires signatures is refused
 * after authorization ({@link SignaturePolicy}); an accepted one keeps its connector's signature mark.
 * Pure: it records nothing and never throws on bad input; the caller records the entries and
 * acknowledges its source after the commit.
 */
public final class IngressPipeline {

    private final Connectors connectors;
    private final MessageValidator validator;
    private final Authorizer authorizer;
    private final SignaturePolicy signatures;
    private final DeliveryPlanner planner;
    private final ReceiptFactory receipts;

    /** A pipeline over these parts. */
    public IngressPipeline(Connectors connectors, MessageValidator validator, Authorizer authorizer,
            SignaturePolicy signatures, DeliveryPlanner planner, ReceiptFactory receipts) {
        this.connectors = connectors;
        this.validator = validator;
        this.authorizer = authorizer;
        this.signatures = signatures;
        this.planner = planner;
        this.receipts = receipts;
    }

    /** The entries to record for one input: one per item its connector decodes. */
    public List<JournalEntry> check(Inbound in) {
        String inputSha256 = sha256(in.bytes());
        OffsetDateTime receivedAt = in.receivedAt().atOffset(ZoneOffset.UTC);
        if (in.identity() instanceof Authentication.Refused refused) {
            return List.of(refused(in, in.bytes(), inputSha256, receivedAt, List.of(ValidationError.of(
                    ErrorCode.NOT_AUTHENTICATED, "", refused.reason()))));
        }
        Optional<Connector> connector = connectors.forFormat(in.format());
        if (connector.isEmpty()) {
            return List.of(refused(in, in.bytes(), inputSha256, receivedAt, List.of(ValidationError.of(
                    ErrorCode.DECODE_FAILED, "", "this gateway has no connector for the channel's format " + in.format()))));
        }
        List<Decoded> items = new ArrayList<>();
        try {
            connector.get().decode(new ByteArrayInputStream(in.bytes()), in.source().address(), items::add);
        } catch (DecodeException e) {
            return List.of(refused(in, in.bytes(), inputSha256, receivedAt, List.of(ValidationError.of(
                    ErrorCode.DECODE_FAILED, e.location(), e.getMessage()))));
        } catch (IOException | RuntimeException e) {
            return List.of(refused(in, in.bytes(), inputSha256, receivedAt, List.of(ValidationError.of(
                    ErrorCode.DECODE_FAILED, "", "the " + in.format() + " input could not be read: " + e.getMessage()))));
        }
        List<JournalEntry> entries = new ArrayList<>(items.size());
        for (Decoded item : items) {
            // A single item keeps the exact input; items of a batch keep what was decoded for them.
            if (item instanceof Decoded.Canonical c) {
                entries.add(check(in, connector.get(), c, items.size() == 1 ? in.bytes() : c.json(), inputSha256,
                        receivedAt));
            } else if (item instanceof Decoded.Failure f) {
                entries.add(refused(in, in.bytes(), inputSha256, receivedAt,
                        List.of(ValidationError.of(ErrorCode.DECODE_FAILED, f.location(), f.message()))));
            }
        }
        if (entries.isEmpty()) {
            entries.add(refused(in, in.bytes(), inputSha256, receivedAt, List.of(ValidationError.of(
                    ErrorCode.EMPTY_BODY, "", "the input holds no message"))));
        }
        return entries;
    }

    private JournalEntry check(Inbound in, Connector connector, Decoded.Canonical item, byte[] original,
            String inputSha256, OffsetDateTime receivedAt) {
        ValidationResult result = validator.validate(item.json());
        if (!(result instanceof ValidationResult.Valid valid)) {
            return refused(in, original, inputSha256, receivedAt, NativePlaces.of(connector, item, result.errors()));
        }
        Envelope message = valid.message();
        List<ValidationError> denied = authorizer.check(message, in.source(),
                ((Authentication.Authenticated) in.identity()).caller());
        if (!denied.isEmpty()) {
            return refused(in, original, inputSha256, receivedAt, denied);
        }
        Optional<ValidationError> unsigned = signatures.check(in.source(), connector.format(), item.signature());
        if (unsigned.isPresent()) {
            return refused(in, original, inputSha256, receivedAt, List.of(unsigned.get()));
        }
        List<PlannedDelivery> deliveries = planner.plan(message);
        byte[] receipt = receipts.accepted(message, in.source(), inputSha256, receivedAt, deliveries,
                item.signature());
        return new JournalEntry.Accepted(message, canonical(valid.normalized()), original, inputSha256, in.source(),
                in.receivedAt(), deliveries, receipt, item.signature());
    }

    private JournalEntry.Refused refused(Inbound in, byte[] original, String inputSha256, OffsetDateTime receivedAt,
            List<ValidationError> errors) {
        UUID messageId = readableMessageId(original).orElse(null);
        String sender = in.source().agency() != null ? in.source().agency() : "UNKNOWN";
        byte[] receipt = receipts.rejected(sender, messageId, in.source(), inputSha256, receivedAt, errors);
        return new JournalEntry.Refused(UUID.randomUUID(), in.source(), in.source().agency(), messageId, original,
                inputSha256, in.receivedAt(), errors, receipt);
    }

    // ---- streamed inputs: a file read by the caller (SpooledBatchIngress), never held whole ----

    /**
     * The entry of one item of a streamed input, checked as {@link #check(Inbound)} checks the items
     * of an input it holds.
     *
     * @param identity what the channel's identity check said about the sender
     * @param inputSha256 the SHA-256 of the whole input
     * @param original the bytes the journal keeps for the item (the exact input when it is the only
     *     item; else the item's JSON, or for a row that could not be decoded a note naming it)
     */
    public JournalEntry checkItem(Source source, Authentication identity, String format, Instant receivedAt,
            String inputSha256, Decoded item, byte[] original) {
        Inbound in = new Inbound(new byte[0], source, format, receivedAt, identity);
        if (identity instanceof Authentication.Refused refused) {
            return refused(in, original, inputSha256, receivedAt.atOffset(ZoneOffset.UTC), List.of(ValidationError.of(
                    ErrorCode.NOT_AUTHENTICATED, "", refused.reason())));
        }
        OffsetDateTime at = receivedAt.atOffset(ZoneOffset.UTC);
        if (item instanceof Decoded.Canonical c) {
            Connector connector = connectors.forFormat(format).orElseThrow(() -> new IllegalArgumentException(
                    "no connector for format " + format));
            return check(in, connector, c, original, inputSha256, at);
        }
        Decoded.Failure f = (Decoded.Failure) item;
        return refused(in, original, inputSha256, at,
                List.of(ValidationError.of(ErrorCode.DECODE_FAILED, f.location(), f.message())));
    }

    /** The entry of a streamed input refused as a whole (unreadable, a wrong trailer, no message in it). */
    public JournalEntry refusedInput(Source source, Authentication identity, String format, Instant receivedAt,
            String inputSha256, byte[] original, ValidationError error) {
        return refused(new Inbound(new byte[0], source, format, receivedAt, identity), original, inputSha256,
                receivedAt.atOffset(ZoneOffset.UTC), List.of(error));
    }

    /** The messageId of a refused input, when it is JSON with one (so the receipt can name it). */
    private static Optional<UUID> readableMessageId(byte[] bytes) {
        try {
            JsonNode id = CanonicalJson.mapper().readTree(bytes).path("messageId");
            return id.isTextual() && id.asText().length() == 36 ? Optional.of(UUID.fromString(id.asText()))
                    : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] canonical(JsonNode normalized) {
        try {
            return CanonicalJson.mapper().writeValueAsBytes(normalized);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an accepted message could not be written", e);
        }
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
