package vn.lienthong.gateway.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.gateway.attachments.ClaimCheck;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.policy.Authorizer;
import vn.lienthong.gateway.policy.Deliverability;
import vn.lienthong.gateway.policy.SignaturePolicy;
import vn.lienthong.gateway.receipts.ReceiptFactory;
import vn.lienthong.gateway.workflows.Coherence;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * The checks of DESIGN.md §2 for one input, up to what the journal records: identify (the
 * channel's identity check, done before), decode (the channel's connector), validate (schemas and
 * business rules), authorize (identity, roles and registry; then the workflows' coherence: a reply
 * answers a case of its sender), plan the
 * deliveries, check that each recipient's format and channel can carry the message
 * ({@link Deliverability}), and write the receipt. After authorization, a message's attachments must
 * be held by the gateway, uploaded by its sender ({@link ClaimCheck}). An input held whole is first refused by its
 * holder when it is larger than one message, not well-formed UTF-8 or empty ({@link #heldRefusal}).
 * An unsigned item where the registry requires signatures is refused
 * after authorization ({@link SignaturePolicy}); an accepted one keeps its connector's signature mark.
 * Two entry points, the same for inputs held in memory (REST, JMS, Kafka) and for files spooled to
 * disk (SFTP): {@link #screen} runs the refusal chain of the whole input, {@link #checkItem} checks
 * each item of an admitted input.
 * Pure: it records nothing and never throws on bad input; the caller records the entries and
 * acknowledges its source after the commit.
 */
public final class IngressPipeline {

    private final Connectors connectors;
    private final MessageValidator validator;
    private final Authorizer authorizer;
    private final SignaturePolicy signatures;
    private final DeliveryPlanner planner;
    private final Deliverability deliverability;
    private final ReceiptFactory receipts;
    private final int maxInputBytes;
    private final Coherence coherence;
    private final ClaimCheck claims;

    /** A pipeline over these parts, without workflow coherence checks. */
    public IngressPipeline(Connectors connectors, MessageValidator validator, Authorizer authorizer,
            SignaturePolicy signatures, DeliveryPlanner planner, Deliverability deliverability, ReceiptFactory receipts,
            int maxInputBytes) {
        this(connectors, validator, authorizer, signatures, planner, deliverability, receipts, maxInputBytes,
                Coherence.NONE);
    }

    /**
     * A pipeline over these parts whose authorize step also asks the workflows whether a message
     * fits the case it answers or opens ({@link Coherence}).
     *
     * @param maxInputBytes the largest input of one message, in any format (a batch file streamed by
     *     {@link SpooledBatchIngress} is not one message)
     */
    public IngressPipeline(Connectors connectors, MessageValidator validator, Authorizer authorizer,
            SignaturePolicy signatures, DeliveryPlanner planner, Deliverability deliverability, ReceiptFactory receipts,
            int maxInputBytes, Coherence coherence) {
        this.connectors = connectors;
        this.validator = validator;
        this.authorizer = authorizer;
        this.signatures = signatures;
        this.planner = planner;
        this.deliverability = deliverability;
        this.receipts = receipts;
        this.coherence = java.util.Objects.requireNonNull(coherence, "coherence");
        this.maxInputBytes = maxInputBytes;
        this.claims = ClaimCheck.NONE;
    }

    private IngressPipeline(IngressPipeline other, ClaimCheck claims) {
        this.connectors = other.connectors;
        this.validator = other.validator;
        this.authorizer = other.authorizer;
        this.signatures = other.signatures;
        this.planner = other.planner;
        this.deliverability = other.deliverability;
        this.receipts = other.receipts;
        this.coherence = other.coherence;
        this.maxInputBytes = other.maxInputBytes;
        this.claims = java.util.Objects.requireNonNull(claims, "claims");
    }

    /**
     * This pipeline with the attachment check after authorization: every entry of a message's
     * {@code attachments} must reference bytes the sender uploaded ({@link ClaimCheck}).
     */
    public IngressPipeline withClaimCheck(ClaimCheck claims) {
        return new IngressPipeline(this, claims);
    }

    /** The receipts this pipeline writes. */
    ReceiptFactory receipts() {
        return receipts;
    }

    /**
     * The entries whose receipts were written under {@link ReceiptFactory#unsigned}, each with its
     * receipt signed: one signature over all of them ({@link ReceiptFactory#signTogether}).
     */
    List<JournalEntry> signTogether(List<JournalEntry> unsigned) {
        List<byte[]> jsons = new java.util.ArrayList<>(unsigned.size());
        unsigned.forEach(e -> jsons.add(e.receipt()));
        List<byte[]> signed = receipts.signTogether(jsons);
        List<JournalEntry> entries = new java.util.ArrayList<>(unsigned.size());
        for (int i = 0; i < unsigned.size(); i++) {
            entries.add(unsigned.get(i).withReceipt(signed.get(i)));
        }
        return entries;
    }

    /** The largest input of one message, in bytes. */
    public int maxInputBytes() {
        return maxInputBytes;
    }

    /**
     * What refuses an input held whole before any connector reads it: larger than one message, not
     * well-formed UTF-8 (every format is), or nothing in it; the same code whatever the format.
     */
    public static Optional<ValidationError> heldRefusal(byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) {
            return Optional.of(ValidationError.of(ErrorCode.BODY_TOO_LARGE, "", String.format(
                    "the input is %,d bytes; at most %,d are accepted (attachments travel by reference)",
                    bytes.length, maxBytes)));
        }
        Optional<String> notUtf8 = StrictUtf8.problem(bytes);
        if (notUtf8.isPresent()) {
            return Optional.of(ValidationError.of(ErrorCode.INVALID_UTF8, "", notUtf8.get()));
        }
        if (blank(bytes)) {
            return Optional.of(ValidationError.of(ErrorCode.EMPTY_BODY, "",
                    "the input holds no message (zero bytes, or only white space)"));
        }
        return Optional.empty();
    }

    /** Zero bytes, or only white space after an optional UTF-8 byte-order mark. */
    private static boolean blank(byte[] bytes) {
        int from = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        for (int i = from; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** An input as a whole, as the refusal chain reads it: held in memory, or spooled to a file. */
    public interface WholeInput {

        /** Decodes the input with the connector into the sink (the refusal chain's one reading of it). */
        void decode(Connector connector, DecodedSink sink) throws DecodeException, IOException;

        /** The SHA-256 of the whole input, lower-case hex; asked after {@link #decode}, if that ran. */
        String sha256() throws IOException;

        /** What the journal keeps of the input when it is refused whole. */
        byte[] original() throws IOException;

        /**
         * Why the input is refused before any connector reads it, known to whoever holds it (its
         * size, its encoding, a message with no bytes); none by default.
         */
        default Optional<ValidationError> refusal() throws IOException {
            return Optional.empty();
        }
    }

    /** What the refusal chain said of a whole input. */
    public sealed interface Screening {

        /** The SHA-256 of the whole input. */
        String inputSha256();

        /** Refused as a whole: this one entry is all that is recorded of it. */
        record Refused(String inputSha256, JournalEntry entry) implements Screening {
        }

        /** Admitted: its items go on to {@link #checkItem}, one by one. */
        record Admitted(String inputSha256, long items) implements Screening {
        }
    }

    /**
     * Entry one, the refusal chain of a whole input, the same for inputs held in memory and for
     * spooled files: not authenticated, refused by its holder ({@link WholeInput#refusal}), no
     * connector for the channel's format, not decodable as a whole, no message in it. The input is
     * read once here (its items go to the sink when admitted).
     *
     * @param arrival the input's source, format, time and what the channel's identity check said
     * @param items receives the decoded items while the input is read (to keep or only to count)
     */
    public Screening screen(Inbound arrival, WholeInput input, DecodedSink items) throws IOException {
        long[] count = {0};
        Optional<ValidationError> refusal = refusal(arrival, input, item -> {
            count[0]++;
            items.accept(item);
        });
        if (refusal.isEmpty() && count[0] == 0) {
            refusal = Optional.of(ValidationError.of(ErrorCode.EMPTY_BODY, "", "the input holds no message"));
        }
        String inputSha256 = input.sha256();
        if (refusal.isPresent()) {
            return new Screening.Refused(inputSha256, refused(arrival, input.original(), inputSha256,
                    arrival.receivedAt().atOffset(ZoneOffset.UTC), List.of(refusal.get())));
        }
        return new Screening.Admitted(inputSha256, count[0]);
    }

    /** The chain up to decoding, in order: the first refusal ends it; none, and the input was decoded. */
    private Optional<ValidationError> refusal(Inbound arrival, WholeInput input, DecodedSink items) throws IOException {
        if (arrival.identity() instanceof Authentication.Refused refused) {
            return Optional.of(ValidationError.of(ErrorCode.NOT_AUTHENTICATED, "", refused.reason()));
        }
        Optional<ValidationError> held = input.refusal();
        if (held.isPresent()) {
            return held;
        }
        Optional<Connector> connector = connectors.forFormat(arrival.format());
        if (connector.isEmpty()) {
            return Optional.of(ValidationError.of(ErrorCode.DECODE_FAILED, "",
                    "this gateway has no connector for the channel's format " + arrival.format()));
        }
        try {
            input.decode(connector.get(), items);
        } catch (DecodeException e) {
            return Optional.of(ValidationError.of(ErrorCode.DECODE_FAILED, e.location(), e.getMessage()));
        }
        return Optional.empty();
    }

    /**
     * Entry two, the checks of one item of an input {@link #screen} admitted: validate, authorize,
     * the signature policy, plan the deliveries, write the receipt; an item that could not be
     * decoded is refused DECODE_FAILED where it failed.
     *
     * @param inputSha256 the SHA-256 of the whole input
     * @param original the bytes the journal keeps for the item (the exact input when it is the only
     *     item; else the item's JSON, or for an item that could not be decoded the input or a note
     *     naming where it failed)
     */
    public JournalEntry checkItem(Inbound arrival, String inputSha256, Decoded item, byte[] original) {
        if (!(arrival.identity() instanceof Authentication.Authenticated)) {
            throw new IllegalArgumentException("an item is checked only after its input was screened");
        }
        OffsetDateTime at = arrival.receivedAt().atOffset(ZoneOffset.UTC);
        if (item instanceof Decoded.Canonical c) {
            Connector connector = connectors.forFormat(arrival.format()).orElseThrow(() -> new IllegalArgumentException(
                    "no connector for format " + arrival.format()));
            return check(arrival, connector, c, original, inputSha256, at);
        }
        Decoded.Failure f = (Decoded.Failure) item;
        return refused(arrival, original, inputSha256, at,
                List.of(ValidationError.of(ErrorCode.DECODE_FAILED, f.location(), f.message())));
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
        List<ValidationError> incoherent = coherence.check(message);
        if (!incoherent.isEmpty()) {
            return refused(in, original, inputSha256, receivedAt, incoherent);
        }
        List<ValidationError> unclaimed = claims.check(message);
        if (!unclaimed.isEmpty()) {
            return refused(in, original, inputSha256, receivedAt, unclaimed);
        }
        Optional<ValidationError> unsigned = signatures.check(in.source(), connector.format(), item.signature());
        if (unsigned.isPresent()) {
            return refused(in, original, inputSha256, receivedAt, List.of(unsigned.get()));
        }
        List<PlannedDelivery> deliveries = planner.plan(message);
        byte[] canonical = canonical(valid.normalized());
        List<ValidationError> undeliverable = deliverability.check(message, canonical, valid.normalized(), deliveries);
        if (!undeliverable.isEmpty()) {
            return refused(in, original, inputSha256, receivedAt, undeliverable);
        }
        byte[] receipt = receipts.accepted(message, in.source(), inputSha256, receivedAt, deliveries,
                item.signature());
        return new JournalEntry.Accepted(message, canonical, original, inputSha256, in.source(),
                in.receivedAt(), deliveries, receipt, item.signature());
    }

    /**
     * The refusal of an input that passed every check but reuses a messageId its sender already
     * used for other content: the journal found it so, and quarantines this instead.
     */
    public JournalEntry.Refused reused(JournalEntry.Accepted entry) {
        Envelope m = entry.message();
        List<ValidationError> errors = List.of(ValidationError.of(ErrorCode.MESSAGE_ID_REUSED, "/messageId",
                m.sender() + " already sent a message with messageId " + m.messageId() + " whose content differs;"
                        + " a corrected message needs a new messageId (the same content again is a duplicate and gets"
                        + " its original receipt)"));
        byte[] receipt = receipts.rejected(m.sender(), m.messageId(), entry.source(), entry.inputSha256(),
                entry.receivedAt().atOffset(ZoneOffset.UTC), errors);
        return new JournalEntry.Refused(UUID.randomUUID(), entry.source(), entry.source().agency(), m.messageId(),
                entry.original(), entry.inputSha256(), entry.receivedAt(), errors, receipt);
    }

    private JournalEntry.Refused refused(Inbound in, byte[] original, String inputSha256, OffsetDateTime receivedAt,
            List<ValidationError> errors) {
        UUID messageId = readableMessageId(original).orElse(null);
        String sender = in.source().agency() != null ? in.source().agency() : "UNKNOWN";
        byte[] receipt = receipts.rejected(sender, messageId, in.source(), inputSha256, receivedAt, errors);
        return new JournalEntry.Refused(UUID.randomUUID(), in.source(), in.source().agency(), messageId, original,
                inputSha256, in.receivedAt(), errors, receipt);
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
