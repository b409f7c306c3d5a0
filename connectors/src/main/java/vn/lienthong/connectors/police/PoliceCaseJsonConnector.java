package vn.lienthong.connectors.police;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.connectors.police.Shape.Obj;
import vn.lienthong.connectors.police.Translator.Direction;
import vn.lienthong.connectors.police.Translator.Problems;
import vn.lienthong.schemas.input.StrictInput;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The police case JSON profile (format {@code police-case-json}) of the economic police (MPS.C03)
 * and the cyber police (MPS.A05), one message per Kafka record, to and from canonical schema v1.
 *
 * <p>A police message has three members: {@code phien_ban} (the profile version, "1.0"),
 * {@code thong_tin_chung} (the header: the canonical envelope) and {@code noi_dung} (the payload of
 * the type named by {@code thong_tin_chung.loai_thong_diep}). The mapping, member by member, is
 * {@link PoliceProfile}; it is published in {@code formats/police-case-json/README.md} with a JSON
 * Schema and examples.
 *
 * <p>Decoding renames members and translates codes, and refuses what it cannot translate (an
 * unknown member or code, a value of the wrong JSON type) with the police JSON pointer and the
 * allowed names or codes. Whether the result is a valid message (required members, identifiers,
 * dates, provinces, freeze rules) is the validator's to say, with its stable error codes.
 */
public final class PoliceCaseJsonConnector implements Connector {

    /** The registry's name of this format. */
    public static final String FORMAT = "police-case-json";

    /** The canonical envelope members, in the order the envelope schema lists them. */
    private static final List<String> ENVELOPE_ORDER = List.of("messageId", "type", "schemaVersion", "sender",
            "recipients", "correlationId", "inReplyTo", "createdAt", "priority", "classification", "legalBasis",
            "deadline", "payload", "attachments");

    /** The largest message: 5 MB, as the validator's body limit (attachments travel by reference). */
    static final int MAX_BYTES = StrictInput.DEFAULT_MAX_BYTES;

    /** The deepest nesting of objects and arrays (the message itself counts as 1). */
    static final int MAX_DEPTH = 64;

    private static final StrictInput INPUT = new StrictInput(MAX_BYTES, MAX_DEPTH);

    /** Digit runs are what personal identifiers look like; parser messages never show them. */
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{5,}");

    /** Reads canonical JSON with every digit of a number kept, and writes decimals without exponents. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String mediaType() {
        return "application/json";
    }

    @Override
    public String extension() {
        return ".json";
    }

    /** Decodes one police message (one Kafka record) into exactly one item. */
    @Override
    public void decode(InputStream in, String sourceName, DecodedSink sink) throws DecodeException, IOException {
        JsonNode police = read(in);
        Problems problems = new Problems();
        ObjectNode canonical = toCanonical(police, problems);
        if (problems.any()) {
            sink.accept(new Decoded.Failure(problems.first().pointer(), problems.summary()));
            return;
        }
        sink.accept(new Decoded.Canonical(CanonicalJson.mapper().writeValueAsBytes(canonical), ""));
    }

    /**
     * One untrusted police message as a JSON object, read strictly ({@link StrictInput}: at most
     * {@value #MAX_BYTES} bytes, well-formed UTF-8, no duplicate key, nesting at most
     * {@value #MAX_DEPTH} deep, nothing after the value). Every refusal is a {@link DecodeException}
     * whose location is a JSON pointer and whose message gives line and column, without quoting
     * the input.
     */
    static JsonNode read(InputStream in) throws DecodeException, IOException {
        JsonNode tree;
        try {
            tree = INPUT.json(INPUT.readLimited(in));
        } catch (StrictInput.Refusal r) {
            throw refused(r);
        }
        if (!tree.isObject()) {
            throw new DecodeException("", "a police message is a JSON object, not " + Translator.describe(tree));
        }
        return tree;
    }

    /** A strict-reading refusal in this profile's words. */
    private static DecodeException refused(StrictInput.Refusal r) {
        String where = r.where();
        return switch (r.kind()) {
            case TOO_LARGE -> new DecodeException("", "the message is larger than " + MAX_BYTES
                    + " bytes (5 MB); attachments travel by reference in tep_dinh_kem");
            case EMPTY -> new DecodeException("", "the message is empty");
            case INVALID_UTF8 -> new DecodeException("", r.truncated()
                    ? "the message is cut short: it ends inside a UTF-8 character (offset " + r.byteOffset() + ")"
                    : "the message is not well-formed UTF-8 (bad byte at offset " + r.byteOffset() + ")");
            case BLANK -> new DecodeException("", "the message holds only white space");
            case NO_VALUE -> new DecodeException("", "the message holds no JSON value");
            case TRAILING_CONTENT -> new DecodeException("", "not valid JSON: content after the message (" + where + ")");
            case NESTING_TOO_DEEP -> new DecodeException(r.pointer(), "objects and arrays are nested deeper than "
                    + MAX_DEPTH + " levels (" + where + ")");
            case VALUE_TOO_LONG -> new DecodeException(r.pointer(), "a number or string is longer than allowed ("
                    + where + ")");
            case DUPLICATE_KEY -> new DecodeException(r.pointer(), "the member "
                    + (r.detail().isEmpty() ? "(unnamed)" : Translator.quoteName(r.detail()))
                    + " appears twice in one object (" + where + ")");
            case MALFORMED_JSON -> r.line() == 0
                    ? new DecodeException("", "not valid JSON (" + r.detail() + ")")
                    : new DecodeException(r.pointer(), "not valid JSON: " + explain(r.detail()) + " (" + where + ")");
        };
    }

    /**
     * The parser's explanation without the tokens it quotes: an unquoted token may be a name or an
     * identifier the sender forgot to quote.
     */
    private static String explain(String line) {
        if (line.startsWith("Unrecognized token")) {
            return "a bare word where a value belongs (text needs double quotes; literals are true, false, null)";
        }
        return DIGIT_RUN.matcher(line).replaceAll("…");
    }

    /** The police JSON pointer of the member, from the profile's tables (README). */
    @Override
    public String nativeLocation(Decoded.Canonical item, String canonicalPointer) {
        try {
            return policePointer(CanonicalJson.mapper().readTree(item.json()), canonicalPointer);
        } catch (IOException e) {
            return canonicalPointer;
        }
    }

    /**
     * The police pointer of a canonical pointer, as far as the profile's shapes reach (a member
     * the profile does not know gives the pointer of its nearest known ancestor).
     */
    static String policePointer(JsonNode canonical, String pointer) {
        if (pointer.isEmpty()) {
            return "";
        }
        String[] steps = pointer.substring(1).split("/", -1);
        for (int i = 0; i < steps.length; i++) {
            steps[i] = steps[i].replace("~1", "/").replace("~0", "~");
        }
        StringBuilder out = new StringBuilder();
        Shape shape;
        JsonNode node;
        int next = 1;
        if (steps[0].equals("schemaVersion")) {
            return "/" + PoliceProfile.VERSION_MEMBER;
        } else if (steps[0].equals("payload")) {
            Optional<Obj> payload = PoliceProfile.payload(canonical.path("type").asText(""));
            out.append('/').append(PoliceProfile.BODY_MEMBER);
            if (payload.isEmpty()) {
                return out.toString();
            }
            shape = payload.get();
            node = canonical.path("payload");
        } else {
            out.append('/').append(PoliceProfile.HEADER_MEMBER);
            Optional<Shape.Field> field = PoliceProfile.HEADER.byCanonical(steps[0]);
            if (field.isEmpty()) {
                return out.toString();
            }
            out.append('/').append(field.get().police());
            shape = field.get().shape();
            node = canonical.path(steps[0]);
        }
        while (next < steps.length) {
            String step = steps[next];
            Optional<Shape.Field> field;
            if (shape instanceof Shape.ListOf list && step.matches("[0-9]+")) {
                out.append('/').append(step);
                node = node.path(Integer.parseInt(step));
                shape = list.item();
                next++;
                continue;
            } else if (shape instanceof Obj obj) {
                field = obj.byCanonical(step);
            } else if (shape instanceof Shape.Variant variant) {
                if (step.equals(variant.canonicalTag())) {
                    out.append('/').append(variant.policeTag());
                    break;
                }
                Obj form = variant.objects().get(node.path(variant.canonicalTag()).asText(""));
                field = form == null ? Optional.empty() : form.byCanonical(step);
            } else {
                break;
            }
            if (field.isEmpty()) {
                break;
            }
            out.append('/').append(Translator.child("", field.get().police()).substring(1));
            shape = field.get().shape();
            node = node.path(step);
            next++;
        }
        return out.toString();
    }

    /**
     * Encodes a canonical message of one of the six types the profile carries.
     *
     * @throws IllegalArgumentException for another type, or a canonical member the profile does not
     *     know (a newer schema than this connector)
     */
    @Override
    public byte[] encode(Envelope message, byte[] canonicalJson) {
        JsonNode canonical;
        try {
            canonical = canonicalJson != null
                    ? JSON.readTree(canonicalJson)
                    : CanonicalJson.mapper().valueToTree(Objects.requireNonNull(message, "message"));
        } catch (IOException e) {
            throw new UncheckedIOException("the canonical message is not JSON", e);
        }
        try {
            return JSON.writeValueAsBytes(toPolice(canonical));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The police form of a canonical message, as a tree. */
    static ObjectNode toPolice(JsonNode canonical) {
        if (!(canonical instanceof ObjectNode envelope)) {
            throw new IllegalArgumentException("a canonical message is a JSON object");
        }
        String type = envelope.path("type").asText("");
        Obj payloadShape = PoliceProfile.payload(type).orElseThrow(() -> new IllegalArgumentException(
                FORMAT + " carries " + String.join(", ", PoliceProfile.PAYLOADS.keySet()) + ", not '" + type + "'"));
        ObjectNode header = envelope.deepCopy();
        header.remove(List.of("schemaVersion", "payload"));
        Problems problems = new Problems();
        Translator translator = new Translator(Direction.ENCODE, problems);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put(PoliceProfile.VERSION_MEMBER, PoliceProfile.VERSION);
        out.set(PoliceProfile.HEADER_MEMBER, translator.object(header, PoliceProfile.HEADER, "", null));
        out.set(PoliceProfile.BODY_MEMBER, translator.translate(envelope.path("payload"), payloadShape, "/payload"));
        if (problems.any()) {
            // The journal holds only validated messages: this is a schema newer than the profile.
            throw new IllegalArgumentException("cannot encode as " + FORMAT + " at "
                    + Translator.display(problems.first().pointer()) + ": " + problems.summary());
        }
        return out;
    }

    /** The canonical form of a police message, or null with the problems recorded. */
    static ObjectNode toCanonical(JsonNode police, Problems problems) {
        Translator translator = new Translator(Direction.DECODE, problems);
        for (Iterator<String> names = police.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of(PoliceProfile.VERSION_MEMBER, PoliceProfile.HEADER_MEMBER, PoliceProfile.BODY_MEMBER)
                    .contains(name)) {
                problems.add(Translator.child("", name), "unknown member " + Translator.quoteName(name)
                        + " in the message; its members are " + PoliceProfile.VERSION_MEMBER + ", "
                        + PoliceProfile.HEADER_MEMBER + ", " + PoliceProfile.BODY_MEMBER);
            }
        }
        checkVersion(police.get(PoliceProfile.VERSION_MEMBER), problems);

        String headerPointer = "/" + PoliceProfile.HEADER_MEMBER;
        JsonNode headerIn = police.get(PoliceProfile.HEADER_MEMBER);
        ObjectNode header = null;
        if (headerIn == null || headerIn.isNull()) {
            problems.add(headerPointer, "missing " + PoliceProfile.HEADER_MEMBER
                    + " (the header: loai_thong_diep, ma_thong_diep, don_vi_gui, don_vi_nhan, ...)");
        } else {
            header = translator.object(headerIn, PoliceProfile.HEADER, headerPointer, null);
        }

        String kindPointer = headerPointer + "/loai_thong_diep";
        Optional<Obj> payloadShape = Optional.empty();
        if (header != null) {
            payloadShape = PoliceProfile.payload(header.path("type").asText(""));
            if (payloadShape.isEmpty() && !problems.anyAt(kindPointer)) {
                problems.add(kindPointer, "missing loai_thong_diep, which says what the message is: one of "
                        + String.join(", ", PoliceProfile.MESSAGE_KIND.allowedPolice()));
            }
        }
        String bodyPointer = "/" + PoliceProfile.BODY_MEMBER;
        JsonNode bodyIn = police.get(PoliceProfile.BODY_MEMBER);
        JsonNode payload = null;
        if (bodyIn == null || bodyIn.isNull()) {
            problems.add(bodyPointer, "missing " + PoliceProfile.BODY_MEMBER + " (the content of the message)");
        } else if (payloadShape.isPresent()) {
            payload = translator.translate(bodyIn, payloadShape.get(), bodyPointer);
        }
        if (problems.any()) {
            return null;
        }
        ObjectNode canonical = JsonNodeFactory.instance.objectNode();
        for (String member : ENVELOPE_ORDER) {
            switch (member) {
                case "schemaVersion" -> canonical.set(member, TextNode.valueOf(PoliceProfile.SCHEMA_VERSION));
                case "payload" -> canonical.set(member, payload);
                default -> {
                    if (header.has(member)) {
                        canonical.set(member, header.get(member));
                    }
                }
            }
        }
        return canonical;
    }

    private static void checkVersion(JsonNode version, Problems problems) {
        String pointer = "/" + PoliceProfile.VERSION_MEMBER;
        if (version == null || version.isNull()) {
            problems.add(pointer, "missing " + PoliceProfile.VERSION_MEMBER + ", the profile version: \""
                    + PoliceProfile.VERSION + "\"");
        } else if (!version.isTextual()) {
            problems.add(pointer, "expected the string \"" + PoliceProfile.VERSION + "\", found "
                    + Translator.describe(version));
        } else if (!version.asText().equals(PoliceProfile.VERSION)) {
            problems.add(pointer, "unsupported profile version; this gateway reads version \""
                    + PoliceProfile.VERSION + "\"");
        }
    }
}
