package vn.lienthong.connectors.edxml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.edxml.EdxmlConnector.Organ;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Maps a province's plain edXML document (a QCVN 102 official document from its document system,
 * without the lienthong JSON attachment) to a canonical {@code violation.notice}: the header gives
 * the envelope, the case reference, the description, the date and the province; what a QCVN 102
 * header has no place for (who the violators are, the categories when the subject line does not
 * name them, the detection time) comes from the optional {@value #FACTS} block in the lienthong
 * namespace {@value #FACTS_NAMESPACE}. What can be neither mapped nor derived is refused with the
 * XPath of the element that lacks it. The mapping is documented in formats/edxml/README.md §5.
 */
final class PlainDocument {

    /** The namespace of the violation facts a QCVN 102 header cannot hold. */
    static final String FACTS_NAMESPACE = "https://schemas.lienthong.vn/edxml/v1";

    /** The element, child of MessageHeader, that holds them. */
    static final String FACTS = "ViolationFacts";

    /** Vietnam's offset: dates and times in edXML headers are local times in Vietnam (no DST). */
    static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final Pattern DATE = Pattern.compile("([0-9]{4})[/-]([0-9]{2})[/-]([0-9]{2})");
    private static final Pattern TIMESTAMP =
            Pattern.compile("([0-9]{4})[/-]([0-9]{2})[/-]([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern PROVINCE_AGENCY = Pattern.compile("PROV\\.([0-9]{2})");
    private static final Set<String> CATEGORIES = Set.of("COUNTERFEIT", "SMUGGLED", "PROHIBITED", "UNKNOWN_ORIGIN",
            "IP_INFRINGING", "SUBSTANDARD", "CONSUMER_RIGHTS", "DIGITAL_PLATFORM", "TAX_EVASION");

    /**
     * The fixed legal terms of the categories (Decree 98/2020 art. 3 as amended by Decree 24/2025;
     * Decree 99/2013), as official subject lines write them ("V/v ... kinh doanh hàng nhập lậu").
     */
    static final Map<String, List<String>> TERMS = terms();

    private static Map<String, List<String>> terms() {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("COUNTERFEIT", List.of("hàng giả"));
        t.put("SMUGGLED", List.of("nhập lậu", "buôn lậu"));
        t.put("PROHIBITED", List.of("hàng cấm"));
        t.put("UNKNOWN_ORIGIN", List.of("không rõ nguồn gốc", "không có hóa đơn, chứng từ"));
        t.put("IP_INFRINGING", List.of("sở hữu trí tuệ"));
        t.put("SUBSTANDARD", List.of("kém chất lượng", "không bảo đảm chất lượng", "không đảm bảo chất lượng"));
        t.put("CONSUMER_RIGHTS", List.of("quyền lợi người tiêu dùng"));
        t.put("DIGITAL_PLATFORM", List.of("nền tảng số"));
        t.put("TAX_EVASION", List.of("trốn thuế"));
        return Map.copyOf(t);
    }

    /** A mapping problem: the XPath of the element and what is wrong. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final String xpath;

        Refusal(String xpath, String message) {
            super(message, null, false, false);
            this.xpath = xpath;
        }
    }

    private final Dom dom;
    private final Map<String, Organ> organs;
    /** Where each canonical member came from: pointer to XPath (the native places of §5). */
    private final Map<String, String> places = new LinkedHashMap<>();

    PlainDocument(Dom dom, Map<String, Organ> organs) {
        this.dom = dom;
        this.organs = organs;
    }

    /** The canonical item of the document, or a failure naming the XPath of what cannot be mapped. */
    Decoded map(Element root, Element envelope, Element header) {
        try {
            ObjectNode message = message(root, envelope, header);
            return new Decoded.Canonical(CanonicalJson.mapper().writeValueAsBytes(message), Dom.xpath(header), places);
        } catch (Refusal r) {
            return new Decoded.Failure(r.xpath, r.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private ObjectNode message(Element root, Element envelope, Element header) throws Refusal {
        String at = Dom.xpath(header);
        Element from = dom.child(header, "From");
        if (from == null) {
            throw new Refusal(at, "From is missing: the sending organ of the document");
        }
        String sender = agency(from);
        List<Element> to = dom.children(header, "To");
        if (to.isEmpty()) {
            throw new Refusal(at, "To is missing: the document names no receiving organ");
        }
        Element code = dom.child(header, "Code");
        String caseRef = documentNumber(code, at);
        Element promulgation = dom.child(header, "PromulgationInfo");
        Element dateElement = promulgation == null ? null : dom.child(promulgation, "PromulgationDate");
        if (dateElement == null) {
            throw new Refusal(promulgation == null ? at : Dom.xpath(promulgation),
                    "PromulgationDate is missing: the date of the document");
        }
        LocalDate date = date(dateElement);
        Element facts = facts(header);

        ObjectNode m = JSON.objectNode();
        m.put("messageId", messageId(header, sender, caseRef, date).toString());
        m.put("type", "violation.notice");
        m.put("schemaVersion", "1.0");
        m.put("sender", sender);
        places.put("/sender", Dom.xpath(from));
        ArrayNode recipients = m.putArray("recipients");
        for (int i = 0; i < to.size(); i++) {
            recipients.add(agency(to.get(i)));
            places.put("/recipients/" + i, Dom.xpath(to.get(i)));
        }
        Element responseFor = dom.child(header, "ResponseFor");
        String replyTo = dom.text(responseFor, "DocumentId");
        if (replyTo != null && UUID_TEXT.matcher(replyTo).matches()) {
            m.put("inReplyTo", replyTo.toLowerCase(Locale.ROOT));
            places.put("/inReplyTo", Dom.xpath(dom.child(responseFor, "DocumentId")));
        }
        m.put("createdAt", createdAt(envelope, from, dateElement));
        String priority = priority(header);
        if (priority != null) {
            m.put("priority", priority);
        }
        // A violation notice names violators: personal data (Decree 13/2023).
        m.put("classification", "restricted");
        Element due = dom.child(header, "DueDate");
        if (due != null && !due.getTextContent().isBlank()) {
            m.put("deadline", INSTANT.format(date(due).atTime(23, 59, 59).atOffset(VIETNAM)));
            places.put("/deadline", Dom.xpath(due));
        }
        m.set("payload", payload(header, from, code, caseRef, promulgation, dateElement, date, sender, facts));
        ArrayNode attachments = attachments(root);
        if (!attachments.isEmpty()) {
            m.set("attachments", attachments);
        }
        return m;
    }

    private ObjectNode payload(Element header, Element from, Element code, String caseRef, Element promulgation,
            Element dateElement, LocalDate date, String sender, Element facts) throws Refusal {
        ObjectNode p = JSON.objectNode();
        p.put("caseRef", caseRef);
        places.put("/payload/caseRef", Dom.xpath(code));
        Element detected = facts == null ? null : child(facts, "DetectedAt");
        if (detected != null) {
            p.put("detectedAt", instant(detected));
            places.put("/payload/detectedAt", Dom.xpath(detected));
        } else {
            // Day precision: the date of the document; the time of detection is in its text.
            p.put("detectedAt", INSTANT.format(date.atStartOfDay().atOffset(VIETNAM)));
            places.put("/payload/detectedAt", Dom.xpath(dateElement));
        }
        Element subjectLine = dom.child(header, "Subject");
        String subject = subjectLine == null ? "" : subjectLine.getTextContent().strip();
        if (subject.isEmpty()) {
            throw new Refusal(subjectLine == null ? Dom.xpath(header) : Dom.xpath(subjectLine),
                    "Subject is missing or empty: the summary (trích yếu) is the notice's description");
        }
        p.set("categories", categories(facts, subjectLine, subject));
        p.set("subjects", subjects(header, facts));
        p.set("province", province(sender, from, promulgation));
        String notation = dom.text(code, "CodeNotation");
        if (notation != null && notation.toUpperCase(Locale.ROOT).startsWith("BB")) {
            // A "BB-..." number is a violation record (biên bản, Law on Handling Administrative Violations art. 58).
            p.set("record", record(header, from, caseRef, date, sender));
            places.put("/payload/record", Dom.xpath(code));
            places.put("/payload/record/date", Dom.xpath(dateElement));
            places.put("/payload/record/issuer", Dom.xpath(from));
            Element signer = dom.child(header, "SignerInfo");
            if (signer != null) {
                places.put("/payload/record/signer", Dom.xpath(signer));
            }
        }
        String content = dom.text(header, "Content");
        p.put("description", content == null || content.isEmpty() ? subject : subject + "\n\n" + content);
        places.put("/payload/description", Dom.xpath(content == null || content.isEmpty() ? subjectLine
                : dom.child(header, "Content")));
        return p;
    }

    // ---- envelope ---------------------------------------------------------------------------

    /**
     * The agency of a From or To element: its OrganId where the registry knows it, else its
     * OrganName as the registry's name of an agency or as an agency code (organ ids are known for
     * few agencies, so document systems are matched by name).
     */
    private String agency(Element organ) throws Refusal {
        String organId = dom.text(organ, "OrganId");
        String organName = dom.text(organ, "OrganName");
        if (organId != null && !organId.isEmpty()) {
            for (Map.Entry<String, Organ> e : organs.entrySet()) {
                if (organId.equals(e.getValue().organId())) {
                    return e.getKey();
                }
            }
        }
        if (organName != null && !organName.isEmpty()) {
            String name = fold(organName);
            for (Map.Entry<String, Organ> e : organs.entrySet()) {
                if (name.equals(fold(e.getValue().organName())) || name.equals(fold(e.getKey()))) {
                    return e.getKey();
                }
            }
            if (organs.isEmpty() && organName.matches("[A-Z][A-Z0-9]*(\\.[A-Z0-9]+)*")) {
                return organName; // no lookup configured: the name is read as an agency code
            }
        }
        throw new Refusal(Dom.xpath(organ), organ.getLocalName() + " names an organ this gateway does not know (OrganId "
                + shown(organId) + ", OrganName " + shown(organName) + "); the registry gives each agency's organ id"
                + " and name");
    }

    private static String fold(String s) {
        return Normalizer.normalize(s.strip(), Normalizer.Form.NFC).replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /**
     * DocumentId when it is a UUID; otherwise a name-based UUID (RFC 4122 version 3) of the sender
     * and DocumentId, or of the sender, number and date: the same document sent twice is the same
     * message, so the gateway's deduplication holds.
     */
    private UUID messageId(Element header, String sender, String caseRef, LocalDate date) {
        String documentId = dom.text(header, "DocumentId");
        Element idElement = dom.child(header, "DocumentId");
        if (documentId != null && UUID_TEXT.matcher(documentId).matches()) {
            places.put("/messageId", Dom.xpath(idElement));
            return UUID.fromString(documentId);
        }
        String name = documentId != null && !documentId.isEmpty()
                ? "edxml:" + sender + ":" + documentId
                : "edxml:" + sender + ":" + caseRef + ":" + date;
        places.put("/messageId", idElement != null ? Dom.xpath(idElement) : Dom.xpath(header) + "/Code");
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The sender's TraceHeader Timestamp (Vietnam's time); without one, the start of the document's date. */
    private String createdAt(Element envelope, Element from, Element dateElement) throws Refusal {
        String organId = dom.text(from, "OrganId");
        Element headerElement = dom.child(envelope, "edXMLHeader");
        Element list = headerElement == null ? null : dom.child(headerElement, "TraceHeaderList");
        Element chosen = null;
        if (list != null) {
            for (Element trace : dom.children(list, "TraceHeader")) {
                String id = dom.text(trace, "OrganId");
                if (chosen == null || organId != null && !organId.isEmpty() && organId.equals(id)) {
                    chosen = trace;
                }
            }
        }
        Element timestamp = chosen == null ? null : dom.child(chosen, "Timestamp");
        if (timestamp == null) {
            places.put("/createdAt", Dom.xpath(dateElement));
            return INSTANT.format(date(dateElement).atStartOfDay().atOffset(VIETNAM));
        }
        places.put("/createdAt", Dom.xpath(timestamp));
        var m = TIMESTAMP.matcher(timestamp.getTextContent().strip());
        if (!m.matches()) {
            throw new Refusal(Dom.xpath(timestamp), "Timestamp is not yyyy/MM/dd HH:mm:ss");
        }
        try {
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)));
            return INSTANT.format(t.atOffset(VIETNAM));
        } catch (java.time.DateTimeException e) {
            throw new Refusal(Dom.xpath(timestamp), "Timestamp is not a valid date and time");
        }
    }

    /** OtherInfo/Priority: 0 normal (thường); 1 to 4 (khẩn, thượng khẩn, hỏa tốc, hỏa tốc hẹn giờ) urgent. */
    private String priority(Element header) throws Refusal {
        Element other = dom.child(header, "OtherInfo");
        Element priority = other == null ? null : dom.child(other, "Priority");
        if (priority == null || priority.getTextContent().isBlank()) {
            return null;
        }
        places.put("/priority", Dom.xpath(priority));
        return switch (priority.getTextContent().strip()) {
            case "0" -> "normal";
            case "1", "2", "3", "4" -> "urgent";
            default -> throw new Refusal(Dom.xpath(priority), "Priority must be 0 (normal) to 4 (hỏa tốc hẹn giờ)");
        };
    }

    // ---- payload ----------------------------------------------------------------------------

    /** "CodeNumber/CodeNotation", the document's number (số và ký hiệu), e.g. 45/TB-QLTT. */
    private String documentNumber(Element code, String at) throws Refusal {
        if (code == null) {
            throw new Refusal(at, "Code is missing: the document's number is the notice's case reference");
        }
        String number = dom.text(code, "CodeNumber");
        String notation = dom.text(code, "CodeNotation");
        number = number == null ? "" : number;
        notation = notation == null ? "" : notation;
        if (number.isEmpty() && notation.isEmpty()) {
            throw new Refusal(Dom.xpath(code), "CodeNumber and CodeNotation are empty: the document's number is the"
                    + " notice's case reference");
        }
        String ref = number.isEmpty() ? notation : notation.isEmpty() ? number : number + "/" + notation;
        if (ref.length() > 100) {
            throw new Refusal(Dom.xpath(code), "the document number is longer than 100 characters");
        }
        return ref;
    }

    private static LocalDate date(Element e) throws Refusal {
        String text = e.getTextContent().strip();
        var m = DATE.matcher(text);
        // An implementation may add a time of day to a date; it is not part of the date.
        if (!m.lookingAt() || text.length() > 10 && !TIMESTAMP.matcher(text).matches()) {
            throw new Refusal(Dom.xpath(e), e.getLocalName() + " is not a date YYYY/MM/DD");
        }
        try {
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (java.time.DateTimeException ex) {
            throw new Refusal(Dom.xpath(e), e.getLocalName() + " is not a valid date");
        }
    }

    private static String instant(Element e) throws Refusal {
        try {
            return INSTANT.format(OffsetDateTime.parse(e.getTextContent().strip()));
        } catch (DateTimeParseException ex) {
            throw new Refusal(Dom.xpath(e), e.getLocalName() + " is not a date-time with an offset"
                    + " (e.g. 2026-11-17T22:40:00+07:00)");
        }
    }

    private Element facts(Element header) throws Refusal {
        Element found = null;
        for (Node n = header.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && FACTS.equals(e.getLocalName()) && FACTS_NAMESPACE.equals(e.getNamespaceURI())) {
                if (found != null) {
                    throw new Refusal(Dom.xpath(e), FACTS + " appears more than once");
                }
                found = e;
            }
        }
        if (found != null) {
            for (Node n = found.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && (!FACTS_NAMESPACE.equals(e.getNamespaceURI())
                        || !Set.of("DetectedAt", "Category", "Person", "Organization").contains(e.getLocalName()))) {
                    throw new Refusal(Dom.xpath(e), "element " + e.getLocalName() + " is not expected in " + FACTS
                            + " (DetectedAt, Category, Person, Organization)");
                }
            }
        }
        return found;
    }

    /** The categories of the facts block; without one, those the subject line names in the fixed legal terms. */
    private ArrayNode categories(Element facts, Element subjectLine, String subject) throws Refusal {
        ArrayNode out = JSON.arrayNode();
        List<Element> given = facts == null ? List.of() : children(facts, "Category");
        if (!given.isEmpty()) {
            for (int i = 0; i < given.size(); i++) {
                String c = given.get(i).getTextContent().strip();
                if (!CATEGORIES.contains(c)) {
                    throw new Refusal(Dom.xpath(given.get(i)), "Category " + shown(c) + " is not one of "
                            + String.join(", ", CATEGORIES.stream().sorted().toList()));
                }
                out.add(c);
                places.put("/payload/categories/" + i, Dom.xpath(given.get(i)));
            }
            return out;
        }
        String folded = fold(subject);
        Set<String> found = new LinkedHashSet<>();
        for (String category : List.of("COUNTERFEIT", "SMUGGLED", "PROHIBITED", "UNKNOWN_ORIGIN", "IP_INFRINGING",
                "SUBSTANDARD", "CONSUMER_RIGHTS", "DIGITAL_PLATFORM", "TAX_EVASION")) {
            if (TERMS.get(category).stream().anyMatch(folded::contains)) {
                found.add(category);
            }
        }
        if (found.isEmpty()) {
            throw new Refusal(Dom.xpath(subjectLine), "the Subject names no violation category in the terms of Decree"
                    + " 98/2020 (hàng giả, hàng nhập lậu, hàng cấm, không rõ nguồn gốc, sở hữu trí tuệ, kém chất lượng,"
                    + " quyền lợi người tiêu dùng, nền tảng số, trốn thuế) and there is no "
                    + FACTS + "/Category");
        }
        int i = 0;
        for (String c : found) {
            out.add(c);
            places.put("/payload/categories/" + i++, Dom.xpath(subjectLine));
        }
        return out;
    }

    /** The violators: only the facts block can name them, a QCVN 102 header has no place for them. */
    private ArrayNode subjects(Element header, Element facts) throws Refusal {
        ArrayNode out = JSON.arrayNode();
        if (facts != null) {
            for (Node n = facts.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element e)) {
                    continue;
                }
                String pointer = "/payload/subjects/" + out.size();
                if (e.getLocalName().equals("Person")) {
                    ObjectNode s = out.addObject().put("kind", "person");
                    member(s, e, "FullName", "fullName", pointer, true);
                    member(s, e, "Cccd", "cccd", pointer, false);
                    member(s, e, "TaxCode", "taxCode", pointer, false);
                    member(s, e, "Passport", "passport", pointer, false);
                    places.put(pointer, Dom.xpath(e));
                } else if (e.getLocalName().equals("Organization")) {
                    ObjectNode s = out.addObject().put("kind", "organization");
                    member(s, e, "Name", "name", pointer, true);
                    member(s, e, "TaxCode", "taxCode", pointer, false);
                    places.put(pointer, Dom.xpath(e));
                }
            }
        }
        if (out.isEmpty()) {
            throw new Refusal(facts != null ? Dom.xpath(facts) : Dom.xpath(header), "the document names no violator:"
                    + " a QCVN 102 header has no place for one; add " + FACTS + "/Person or " + FACTS
                    + "/Organization in " + FACTS_NAMESPACE + " (formats/edxml/README.md §5), or send the"
                    + " lienthong message as the " + EdxmlConnector.ATTACHMENT_NAME + " attachment");
        }
        return out;
    }

    private void member(ObjectNode target, Element parent, String element, String json, String pointer,
            boolean required) throws Refusal {
        List<Element> found = children(parent, element);
        if (found.size() > 1) {
            throw new Refusal(Dom.xpath(found.get(1)), element + " appears more than once");
        }
        if (found.isEmpty() || found.get(0).getTextContent().isBlank()) {
            if (required) {
                throw new Refusal(Dom.xpath(parent), parent.getLocalName() + " lacks " + element);
            }
            return;
        }
        for (Node n = found.get(0).getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                throw new Refusal(Dom.xpath(found.get(0)), element + " holds a value, not elements");
            }
        }
        target.put(json, found.get(0).getTextContent().strip());
        places.put(pointer + "/" + json, Dom.xpath(found.get(0)));
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName()) && FACTS_NAMESPACE.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String localName) throws Refusal {
        List<Element> found = children(parent, localName);
        if (found.size() > 1) {
            throw new Refusal(Dom.xpath(found.get(1)), localName + " appears more than once");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The sending province (PROV.xx gives its code); for another sender, PromulgationInfo/Place as a province name. */
    private ObjectNode province(String sender, Element from, Element promulgation) throws Refusal {
        var m = PROVINCE_AGENCY.matcher(sender);
        if (m.matches()) {
            places.put("/payload/province", Dom.xpath(from));
            return JSON.objectNode().put("code", m.group(1));
        }
        Element place = promulgation == null ? null : dom.child(promulgation, "Place");
        if (place == null || place.getTextContent().isBlank()) {
            throw new Refusal(promulgation == null ? Dom.xpath(from) : Dom.xpath(promulgation), "the sender " + sender
                    + " is not a province and PromulgationInfo/Place is empty: the notice's province is unknown");
        }
        places.put("/payload/province", Dom.xpath(place));
        return JSON.objectNode().put("name", place.getTextContent().strip());
    }

    private ObjectNode record(Element header, Element from, String number, LocalDate date, String sender) {
        ObjectNode r = JSON.objectNode();
        r.put("number", number);
        r.put("date", date.toString());
        ObjectNode issuer = r.putObject("issuer");
        String name = dom.text(from, "OrganName");
        issuer.put("name", name == null || name.isEmpty() ? sender : name);
        String organId = dom.text(from, "OrganId");
        if (organId != null && !organId.isEmpty()) {
            issuer.put("organId", organId);
        }
        issuer.put("agency", sender);
        Element signer = dom.child(header, "SignerInfo");
        String fullName = dom.text(signer, "FullName");
        String position = dom.text(signer, "Position");
        if (fullName != null && !fullName.isEmpty() && position != null && !position.isEmpty()) {
            r.putObject("signer").put("fullName", fullName).put("position", position);
        }
        return r;
    }

    /**
     * The document's own files (the signed notice, photos): described by name, type, size and
     * SHA-256, and referenced inside the original input, which the gateway's journal keeps
     * ({@code original:<ContentId or position>}).
     */
    private ArrayNode attachments(Element root) throws Refusal {
        ArrayNode out = JSON.arrayNode();
        Element encoded = dom.child(root, "AttachmentEncoded");
        if (encoded == null) {
            return out;
        }
        List<Element> all = dom.children(encoded, "Attachment");
        for (int i = 0; i < all.size(); i++) {
            Element a = all.get(i);
            String at = Dom.xpath(a);
            String name = dom.text(a, "AttachmentName");
            if (name == null || name.isEmpty()) {
                throw new Refusal(at, "AttachmentName is missing");
            }
            Element content = dom.child(a, "ContentTransferEncoded");
            if (content == null) {
                throw new Refusal(at, "ContentTransferEncoded is missing");
            }
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(strictBase64(content));
            } catch (IllegalArgumentException e) {
                throw new Refusal(Dom.xpath(content), "ContentTransferEncoded is not base64");
            }
            String type = dom.text(a, "ContentType");
            String contentId = dom.text(a, "ContentId");
            ObjectNode o = out.addObject();
            o.put("name", name.replace('/', '_').replace('\\', '_'));
            o.put("mediaType", type == null || type.isEmpty() ? "application/octet-stream"
                    : type.toLowerCase(Locale.ROOT).split(";")[0].strip());
            o.put("size", bytes.length);
            o.put("sha256", sha256(bytes));
            o.put("ref", "original:" + (contentId == null || contentId.isEmpty() ? Integer.toString(i + 1) : contentId));
            places.put("/attachments/" + i, at);
        }
        return out;
    }

    private static String strictBase64(Element content) {
        String s = content.getTextContent();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                    || c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (!ok) {
                throw new IllegalArgumentException("not base64");
            }
        }
        return s;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Header values quoted in errors are organ ids, names and codes, never personal data. */
    private static String shown(String s) {
        if (s == null || s.isEmpty()) {
            return "(empty)";
        }
        return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
    }
}
