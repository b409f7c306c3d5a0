package vn.lienthong.connectors.edxml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.schemas.input.StrictInput;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The {@code edxml} format: the QCVN 102:2016 edXML envelope of government document systems, as
 * provincial systems exchange it (REST or SFTP). A canonical message travels as an edXML document
 * whose header describes it and whose one attachment, {@value #ATTACHMENT_NAME} (base64,
 * application/json), is the canonical JSON itself. A province's own document without that
 * attachment is read as a {@code violation.notice} ({@link PlainDocument}). The profile is in
 * {@code formats/edxml/} (README and XSD).
 */
public final class EdxmlConnector implements Connector {

    /** The registry's name of this format. */
    public static final String FORMAT = "edxml";

    /** The edXML namespace of QCVN 102:2016 as the national platform (VPCP) and LGSPs use it. */
    public static final String DEFAULT_NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

    /** The name of the attachment that carries the canonical message. */
    public static final String ATTACHMENT_NAME = "lienthong-message.json";

    /** Largest edXML document read: a 5 MB message is about 6.7 MB in base64. */
    public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    /** Deepest element nesting accepted; the profile needs 6. */
    public static final int MAX_DEPTH = 64;

    /** Largest attachment once decoded (and unzipped): the validator's body limit, plus one to see it exceeded. */
    static final int MAX_JSON_BYTES = 5 * 1024 * 1024 + 1;

    /**
     * An agency's identity in edXML headers: the QCVN 102 organ id (V1V2V3.Z1Z2.Y1Y2.MX1X2, up to
     * 35 characters since 2022) and the organ's name.
     */
    public record Organ(String organId, String organName) {
        public Organ {
            Objects.requireNonNull(organId, "organId");
            Objects.requireNonNull(organName, "organName");
        }
    }

    private final String namespace;
    // Read at each use: the gateway gives the registry's organs in force, which a reload replaces.
    private final Supplier<Map<String, Organ>> organs;
    private final EdxmlParser xml = new EdxmlParser(MAX_DOCUMENT_BYTES, MAX_DEPTH);
    private final Dom dom;
    private final SignatureCheck signatures;

    /** The default namespace, no organ ids known, no signer certificates (ServiceLoader). */
    public EdxmlConnector() {
        this(DEFAULT_NAMESPACE, Map.of());
    }

    /**
     * Without signer certificates: unsigned documents are read (marked unsigned), signed ones are
     * refused as unverifiable.
     *
     * @param namespace the edXML namespace written, and read besides no namespace
     * @param organs agency code to organ id and name; an agency not listed is written with an empty
     *     OrganId and its agency code as OrganName
     */
    public EdxmlConnector(String namespace, Map<String, Organ> organs) {
        this(namespace, organs, SignerTrust.none(), Clock.systemUTC());
    }

    /**
     * @param namespace the edXML namespace written, and read besides no namespace
     * @param organs agency code to organ id and name, as above
     * @param signers the certificates that may sign each agency's documents (README §7)
     * @param clock the time a signer certificate must be valid at
     */
    public EdxmlConnector(String namespace, Map<String, Organ> organs, SignerTrust signers, Clock clock) {
        this(namespace, constant(Map.copyOf(organs)), signers, clock);
    }

    /**
     * The same, the organs read at each use from {@code organs} (the registry in force: a reload that
     * adds an agency or changes its organ id is written and checked from then on, without a restart).
     */
    public EdxmlConnector(String namespace, Supplier<Map<String, Organ>> organs, SignerTrust signers, Clock clock) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.organs = Objects.requireNonNull(organs, "organs");
        this.dom = new Dom(namespace);
        this.signatures = new SignatureCheck(Objects.requireNonNull(signers, "signers"), Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String mediaType() {
        return "application/xml";
    }

    /** edXML documents may carry an enveloped XML-DSig signature (README.md §7). */
    @Override
    public boolean verifiesSignatures() {
        return true;
    }

    @Override
    public String extension() {
        return ".edxml";
    }

    /**
     * For a message carried as the attachment, the attachment's content (the canonical pointer then
     * applies inside it); for a province's plain document, the header element each member came
     * from (README §5).
     */
    @Override
    public String nativeLocation(Decoded.Canonical item, String canonicalPointer) {
        if (item.places().isEmpty()) {
            return item.location() + "/ContentTransferEncoded";
        }
        return Connector.super.nativeLocation(item, canonicalPointer);
    }

    /** The organ written for an agency code. */
    Organ organ(String agency) {
        return organs.get().getOrDefault(agency, new Organ("", agency));
    }

    private static Supplier<Map<String, Organ>> constant(Map<String, Organ> organs) {
        return () -> organs;
    }

    @Override
    public void decode(InputStream in, String sourceName, DecodedSink sink) throws DecodeException, IOException {
        Document document = xml.parse(xml.read(in));
        Element root = document.getDocumentElement();
        if (!dom.inScope(root)) {
            throw new DecodeException(Dom.xpath(root), "the root element is in namespace " + root.getNamespaceURI()
                    + "; this channel reads edXML in " + namespace + " or in no namespace");
        }
        Element envelope = dom.is(root, "edXMLEnvelope") ? root : dom.child(root, "edXMLEnvelope");
        if (!dom.is(root, "edXML") && envelope != root) {
            throw new DecodeException(Dom.xpath(root), "the root element must be edXML (or edXMLEnvelope)");
        }
        if (envelope == null) {
            throw new DecodeException(Dom.xpath(root), "edXMLEnvelope is missing");
        }
        Element header = required(envelope, "edXMLHeader");
        Element message = required(header, "MessageHeader");
        Decoded item = attachment(root, envelope, message);
        if (item instanceof Decoded.Canonical c) {
            // The sender is known once the message is: its certificates are the ones that may have signed.
            SignatureCheck.Outcome signed = signatures.check(document, senderOf(c.json()));
            item = signed.isRefused() ? new Decoded.Failure(signed.refusedAt(), signed.refusal())
                    : c.signed(signed.signature());
        }
        sink.accept(item);
    }

    private static String senderOf(byte[] json) {
        try {
            String sender = CanonicalJson.mapper().readTree(json).path("sender").asText("");
            return sender.isEmpty() ? "(no sender)" : sender;
        } catch (IOException e) {
            return "(no sender)";
        }
    }

    private Element required(Element parent, String name) throws DecodeException {
        Element e = dom.child(parent, name);
        if (e == null) {
            throw new DecodeException(Dom.xpath(parent), name + " is missing");
        }
        return e;
    }

    /** The canonical JSON attachment, checked against the header, or why there is none. */
    private Decoded attachment(Element root, Element envelope, Element header) {
        Map<String, Element> references = new LinkedHashMap<>();
        Element body = dom.child(envelope, "edXMLBody");
        Element manifest = body == null ? null : dom.child(body, "edXMLManifest");
        if (manifest != null) {
            for (Element ref : dom.children(manifest, "Reference")) {
                references.put(contentId(dom.text(ref, "ContentId")), ref);
            }
        }
        Element encoded = dom.child(root, "AttachmentEncoded");
        List<Element> all = encoded == null ? List.of() : dom.children(encoded, "Attachment");
        List<Element> ours = new ArrayList<>();
        for (Element a : all) {
            if (ATTACHMENT_NAME.equalsIgnoreCase(attachmentName(a, references))) {
                ours.add(a);
            }
        }
        String where = encoded == null ? Dom.xpath(root) : Dom.xpath(encoded);
        if (ours.isEmpty()) {
            // A province's own official document: its header (and facts block) become a violation.notice.
            return new PlainDocument(dom, organs.get()).map(root, envelope, header);
        }
        if (ours.size() > 1) {
            return new Decoded.Failure(where, ours.size() + " attachments named " + ATTACHMENT_NAME + ", one expected");
        }
        if (all.size() > 1) {
            return new Decoded.Failure(where, (all.size() - 1) + " attachments besides " + ATTACHMENT_NAME
                    + ": files travel by reference (the message's attachments), not inside the edXML document");
        }
        Element attachment = ours.get(0);
        String type = attachmentType(attachment, references);
        if (type != null && !type.isEmpty() && !type.toLowerCase(Locale.ROOT).replace(" ", "").startsWith("application/json")) {
            return new Decoded.Failure(Dom.xpath(attachment), ATTACHMENT_NAME + " has content type " + type
                    + ", application/json expected");
        }
        Element content = dom.child(attachment, "ContentTransferEncoded");
        if (content == null || content.getTextContent().isBlank()) {
            return new Decoded.Failure(Dom.xpath(attachment), "ContentTransferEncoded is missing or empty");
        }
        String at = Dom.xpath(content);
        byte[] json;
        try {
            json = bytes(content.getTextContent());
        } catch (IllegalArgumentException e) {
            return new Decoded.Failure(at, e.getMessage());
        }
        int bad = StrictInput.firstInvalidUtf8(json, 0, json.length);
        if (bad >= 0) {
            return new Decoded.Failure(at, "the attachment is not UTF-8 (byte offset " + bad + ")");
        }
        JsonNode tree;
        try {
            tree = CanonicalJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            // The parser's own message may quote the content, which may be personal data.
            return new Decoded.Failure(at, "the attachment is not valid JSON"
                    + (l == null ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")"));
        } catch (IOException e) {
            return new Decoded.Failure(at, "the attachment could not be read as JSON");
        }
        if (tree == null || !tree.isObject()) {
            return new Decoded.Failure(at, "the attachment is not a JSON object (a canonical message)");
        }
        String mismatch = headerMismatch(header, tree);
        if (mismatch != null) {
            return new Decoded.Failure(Dom.xpath(header), mismatch);
        }
        return new Decoded.Canonical(json, Dom.xpath(attachment));
    }

    /**
     * What the header says that contradicts the message, or null. Checked: DocumentId is the
     * messageId, ResponseFor/DocumentId the inReplyTo, and From/OrganId the sender's organ id where
     * that is known; the rest of the header is description only.
     */
    private String headerMismatch(Element header, JsonNode message) {
        String documentId = dom.text(header, "DocumentId");
        String messageId = message.path("messageId").asText("");
        if (documentId == null || documentId.isEmpty()) {
            return "DocumentId is missing; it must be the attachment's messageId";
        }
        if (!messageId.isEmpty() && !documentId.equalsIgnoreCase(messageId)) {
            return "DocumentId " + shown(documentId) + " is not the attachment's messageId " + shown(messageId);
        }
        Element responseFor = dom.child(header, "ResponseFor");
        String replyTo = dom.text(responseFor, "DocumentId");
        String inReplyTo = message.path("inReplyTo").asText("");
        if (replyTo != null && !replyTo.isEmpty() && !replyTo.equalsIgnoreCase(inReplyTo)) {
            return "ResponseFor/DocumentId " + shown(replyTo) + " is not the attachment's inReplyTo";
        }
        Organ sender = organs.get().get(message.path("sender").asText(""));
        String organId = dom.text(dom.child(header, "From"), "OrganId");
        if (sender != null && !sender.organId().isEmpty() && organId != null && !organId.isEmpty()
                && !organId.equals(sender.organId())) {
            return "From/OrganId " + shown(organId) + " is not the organ id of the sender "
                    + message.path("sender").asText();
        }
        return null;
    }

    /** A header identifier for an error message: these are document and organ ids, never personal. */
    private static String shown(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private String attachmentName(Element attachment, Map<String, Element> references) {
        String name = dom.text(attachment, "AttachmentName");
        if (name != null && !name.isEmpty()) {
            return name;
        }
        Element ref = references.get(contentId(dom.text(attachment, "ContentId")));
        return ref == null ? null : dom.text(ref, "AttachmentName");
    }

    private String attachmentType(Element attachment, Map<String, Element> references) {
        String type = dom.text(attachment, "ContentType");
        if (type != null && !type.isEmpty()) {
            return type;
        }
        Element ref = references.get(contentId(dom.text(attachment, "ContentId")));
        return ref == null ? null : dom.text(ref, "ContentType");
    }

    /** A content id without its "cid:" scheme and angle brackets, as implementations write it either way. */
    private static String contentId(String id) {
        if (id == null) {
            return "";
        }
        String s = id.strip();
        if (s.regionMatches(true, 0, "cid:", 0, 4)) {
            s = s.substring(4);
        }
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    /**
     * The attachment's bytes: base64 (white space between characters allowed, nothing else), then
     * unzipped when it is a ZIP archive of one file, as the VPCP SDK writes attachments.
     */
    private static byte[] bytes(String base64) {
        StringBuilder clean = new StringBuilder(base64.length());
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                clean.append(c);
            }
        }
        if ((long) clean.length() * 3 / 4 > 2L * MAX_JSON_BYTES + 1024) {
            throw new IllegalArgumentException("the attachment is larger than " + (MAX_JSON_BYTES - 1) + " bytes");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(clean.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ContentTransferEncoded is not base64: " + e.getMessage());
        }
        if (raw.length >= 4 && raw[0] == 'P' && raw[1] == 'K' && raw[2] == 3 && raw[3] == 4) {
            raw = unzip(raw);
        }
        if (raw.length >= MAX_JSON_BYTES) {
            throw new IllegalArgumentException("the attachment is larger than " + (MAX_JSON_BYTES - 1) + " bytes");
        }
        return raw;
    }

    private static byte[] unzip(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry = in.getNextEntry();
            if (entry == null || entry.isDirectory()) {
                throw new IllegalArgumentException("the zipped attachment holds no file");
            }
            // Bounded: a small archive may inflate to gigabytes.
            byte[] content = in.readNBytes(MAX_JSON_BYTES);
            if (content.length >= MAX_JSON_BYTES) {
                throw new IllegalArgumentException("the zipped attachment inflates beyond " + (MAX_JSON_BYTES - 1)
                        + " bytes");
            }
            if (in.getNextEntry() != null) {
                throw new IllegalArgumentException("the zipped attachment holds more than one file");
            }
            return content;
        } catch (ZipException e) {
            throw new IllegalArgumentException("the zipped attachment is not a valid ZIP archive");
        } catch (IOException e) {
            throw new IllegalArgumentException("the zipped attachment could not be read");
        }
    }

    @Override
    public byte[] encode(Envelope message, byte[] canonicalJson) {
        return new EdxmlWriter(namespace).write(message, HeaderFields.of(message), organ(message.sender()),
                message.recipients().stream().map(this::organ).toList(), canonicalJson);
    }
}
