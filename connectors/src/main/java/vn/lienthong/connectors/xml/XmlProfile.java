package vn.lienthong.connectors.xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import org.xml.sax.SAXException;
import vn.lienthong.schemas.MessageType;

/**
 * One XML profile: its namespace, its bundled XSD, the header and the message types it carries, and
 * the mapping between them and canonical JSON in both directions. The same tables drive decoding,
 * encoding, the XSD ({@link XsdWriter}) and the documented mapping ({@link MappingTables}).
 * Thread-safe once built.
 */
public final class XmlProfile {

    /** The header element, first child of every root. */
    public static final String HEADER_ELEMENT = "ThongTinChung";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String format;
    private final String defaultNamespace;
    private final String namespace;
    private final String xsdResource;
    private final XmlObject header;
    private final List<XmlMessage> messages;
    private final Map<String, XmlMessage> byRoot = new LinkedHashMap<>();
    private final Map<String, XmlMessage> byType = new HashMap<>();
    private volatile Schema schema;

    /**
     * A profile; its XSD is read from the classpath when first needed ({@link #schema()}), with the
     * configured namespace in place of the one it was published with.
     *
     * @param format the registry's format name
     * @param defaultNamespace the namespace the bundled XSD declares
     * @param namespace the namespace to use (usually the default)
     * @param xsdResource the classpath resource of the XSD
     * @param header the header's members (envelope members)
     * @param messages the message types carried
     */
    public XmlProfile(String format, String defaultNamespace, String namespace, String xsdResource, XmlObject header,
            List<XmlMessage> messages) {
        this.format = Objects.requireNonNull(format, "format");
        this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace");
        this.namespace = checkNamespace(namespace);
        this.xsdResource = Objects.requireNonNull(xsdResource, "xsdResource");
        this.header = Objects.requireNonNull(header, "header");
        this.messages = List.copyOf(messages);
        for (XmlMessage m : this.messages) {
            if (byRoot.put(m.root(), m) != null || byType.put(m.type().wireName(), m) != null) {
                throw new IllegalArgumentException(format + ": root or type twice: " + m.root());
            }
        }
    }

    private static String checkNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        URI uri = URI.create(namespace); // a namespace name is a URI reference
        if (!uri.isAbsolute() || namespace.contains("\"") || namespace.contains("'")) {
            throw new IllegalArgumentException("an XML namespace must be an absolute URI: " + namespace);
        }
        return namespace;
    }

    /** The registry's format name. */
    public String format() {
        return format;
    }

    /** The namespace every element is in. */
    public String namespace() {
        return namespace;
    }

    /** The header's members. */
    public XmlObject header() {
        return header;
    }

    /** The message types carried, in XSD order. */
    public List<XmlMessage> messages() {
        return messages;
    }

    /** The root element names. */
    public Set<String> roots() {
        return new LinkedHashSet<>(byRoot.keySet());
    }

    /** Whether this profile carries a message type. */
    public boolean carries(MessageType type) {
        return byType.containsKey(type.wireName());
    }

    /** The bundled XSD's text, in the configured namespace. */
    public String bundledXsd() {
        try (InputStream in = XmlProfile.class.getClassLoader().getResourceAsStream(xsdResource)) {
            if (in == null) {
                throw new IllegalStateException("the XSD " + xsdResource + " is not on the classpath");
            }
            String xsd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return namespace.equals(defaultNamespace) ? xsd
                    : xsd.replace("\"" + defaultNamespace + "\"", "\"" + namespace + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The XSD these tables define, as {@link XsdWriter} writes it (the bundled file must equal it). */
    public String generatedXsd() {
        return new XsdWriter(this).write();
    }

    /**
     * The compiled bundled XSD (compiled once; a connector asks for it when built, to fail early).
     *
     * @throws IllegalStateException if the XSD is missing or does not compile
     */
    public Schema schema() {
        Schema s = schema;
        if (s == null) {
            synchronized (this) {
                if (schema == null) {
                    schema = compile(bundledXsd());
                }
                s = schema;
            }
        }
        return s;
    }

    private Schema compile(String xsd) {
        try {
            return HardenedXml.schemaFactory().newSchema(new StreamSource(new StringReader(xsd), xsdResource));
        } catch (SAXException e) {
            throw new IllegalStateException("the XSD " + xsdResource + " does not compile: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // XML -> canonical

    /**
     * Decodes one document into a canonical envelope (not yet validated by the canonical validator).
     *
     * @throws XmlDecodeException naming the XPath and position of the first problem
     */
    public ObjectNode decode(byte[] bytes) throws XmlDecodeException {
        XmlElement root = XmlProfileParser.parse(bytes, namespace, byRoot.keySet(), schema(), format);
        XmlMessage message = byRoot.get(root.name());
        XmlElement headerElement = root.children().isEmpty() ? null : root.children().get(0);
        if (headerElement == null || !HEADER_ELEMENT.equals(headerElement.name())) {
            throw new XmlDecodeException(root.xpath(), root.line(), root.column(),
                    "the first child of <" + root.name() + "> must be <" + HEADER_ELEMENT + ">");
        }
        ObjectNode head = readObject(headerElement, header, null);
        ObjectNode payload = readObject(root, message.payload(), HEADER_ELEMENT);

        ObjectNode envelope = JSON.objectNode();
        envelope.set("messageId", head.remove("messageId"));
        envelope.put("type", message.type().wireName());
        JsonNode attachments = head.remove("attachments");
        envelope.setAll(head);
        envelope.set("payload", payload);
        if (attachments != null) {
            envelope.set("attachments", attachments);
        }
        return envelope;
    }

    private ObjectNode readObject(XmlElement element, XmlObject type, String skip) throws XmlDecodeException {
        requireNoText(element);
        ObjectNode out = JSON.objectNode();
        type.constants().forEach(out::put);
        // By identity: members are records, and hashing one would walk its whole type.
        Map<XmlMember, XmlElement> found = new IdentityHashMap<>();
        for (XmlElement child : element.children()) {
            if (child.name().equals(skip)) {
                continue;
            }
            XmlMember member = type.memberForElement(child.name());
            if (member == null) {
                throw new XmlDecodeException(child.xpath(), child.line(), child.column(),
                        "element <" + child.name() + "> is not expected in <" + element.name() + ">");
            }
            if (found.put(member, child) != null) {
                throw new XmlDecodeException(child.xpath(), child.line(), child.column(),
                        "element <" + child.name() + "> appears more than once");
            }
        }
        for (XmlMember member : type.members()) {
            XmlElement child = found.get(member);
            if (child == null) {
                if (member.mandatory()) {
                    throw new XmlDecodeException(element.xpath(), element.line(), element.column(),
                            "element <" + element.name() + "> lacks <" + member.outerElement() + ">");
                }
                continue;
            }
            out.set(member.json(), member.list() ? readList(child, member) : readContent(child, member.content()));
        }
        return out;
    }

    private ArrayNode readList(XmlElement wrapper, XmlMember member) throws XmlDecodeException {
        requireNoText(wrapper);
        ArrayNode items = JSON.arrayNode();
        for (XmlElement item : wrapper.children()) {
            if (!item.name().equals(member.element())) {
                throw new XmlDecodeException(item.xpath(), item.line(), item.column(),
                        "element <" + item.name() + "> is not expected in <" + wrapper.name() + ">");
            }
            items.add(readContent(item, member.content()));
        }
        return items;
    }

    private JsonNode readContent(XmlElement element, XmlContent content) throws XmlDecodeException {
        if (content instanceof XmlLeaf leaf) {
            if (!element.children().isEmpty()) {
                XmlElement child = element.children().get(0);
                throw new XmlDecodeException(child.xpath(), child.line(), child.column(),
                        "element <" + element.name() + "> holds a value, not elements");
            }
            try {
                return leaf.read(element.text());
            } catch (IllegalArgumentException e) {
                // The value is not repeated: it may be a personal identifier.
                throw new XmlDecodeException(element.xpath(), element.line(), element.column(),
                        "the value of <" + element.name() + "> is not a valid " + leaf.xsdTypeReference());
            }
        }
        if (content instanceof XmlObject object) {
            return readObject(element, object, null);
        }
        XmlVariant variant = (XmlVariant) content;
        requireNoText(element);
        List<XmlElement> children = element.children();
        XmlVariant.Alternative alternative = children.size() == 1 ? variant.forElement(children.get(0).name()) : null;
        if (alternative == null) {
            throw new XmlDecodeException(element.xpath(), element.line(), element.column(), "element <" + element.name()
                    + "> must hold exactly one of " + variant.alternatives().stream()
                            .map(a -> "<" + a.element() + ">").reduce((a, b) -> a + ", " + b).orElse(""));
        }
        return readObject(children.get(0), alternative.object(), null);
    }

    private static void requireNoText(XmlElement element) throws XmlDecodeException {
        if (!element.text().isBlank()) {
            throw new XmlDecodeException(element.xpath(), element.line(), element.column(),
                    "element <" + element.name() + "> holds elements, not text");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // canonical pointer -> XPath

    /**
     * The XPath of the element that carries a member of a canonical message in this profile, as
     * far as the tables reach: a member that has no element (a scalar's inside, an unknown name)
     * gives the XPath of the nearest element that does. List items are numbered from 1; a variant
     * (a subject) descends into the form the message holds.
     *
     * @param envelope the canonical message (to tell a variant's forms apart)
     * @param pointer a JSON pointer into it
     */
    public String xpath(JsonNode envelope, String pointer) {
        XmlMessage message = byType.get(envelope.path("type").asText());
        if (message == null) {
            return "";
        }
        String root = "/" + message.root();
        List<String> steps = pointerSteps(pointer);
        if (steps.isEmpty() || steps.get(0).equals("type")) {
            return root;
        }
        StringBuilder xpath = new StringBuilder(root);
        XmlContent content;
        JsonNode node;
        int next;
        if (steps.get(0).equals("payload")) {
            content = message.payload();
            node = envelope.path("payload");
            next = 1;
        } else {
            xpath.append('/').append(HEADER_ELEMENT);
            content = header;
            node = envelope;
            next = 0;
        }
        while (next < steps.size()) {
            String step = steps.get(next);
            if (content instanceof XmlVariant variant) {
                JsonNode held = node;
                XmlVariant.Alternative form = variant.alternatives().stream()
                        .filter(a -> a.object().constants().entrySet().stream()
                                .allMatch(c -> c.getValue().equals(held.path(c.getKey()).asText(null))))
                        .findFirst().orElse(null);
                if (form == null) {
                    break;
                }
                xpath.append('/').append(form.element());
                content = form.object();
                continue;
            }
            if (!(content instanceof XmlObject object)) {
                break;
            }
            if (object.constants().containsKey(step)) {
                break; // implied by the element itself
            }
            XmlMember member = memberFor(object, step);
            if (member == null) {
                break;
            }
            next++;
            node = node.path(step);
            if (member.list()) {
                xpath.append('/').append(member.outerElement());
                if (next == steps.size() || !steps.get(next).matches("[0-9]+")) {
                    break;
                }
                int index = Integer.parseInt(steps.get(next));
                xpath.append('/').append(member.element()).append('[').append(index + 1).append(']');
                node = node.path(index);
                next++;
            } else {
                xpath.append('/').append(member.element());
            }
            content = member.content();
        }
        return xpath.toString();
    }

    private static List<String> pointerSteps(String pointer) {
        List<String> steps = new java.util.ArrayList<>();
        if (pointer == null || pointer.isEmpty()) {
            return steps;
        }
        for (String s : pointer.substring(1).split("/", -1)) {
            steps.add(s.replace("~1", "/").replace("~0", "~"));
        }
        return steps;
    }

    // ---------------------------------------------------------------------------------------------
    // canonical -> XML

    /**
     * Encodes a canonical envelope. Every member must have its place: a member this profile cannot
     * carry is refused rather than dropped, since a recipient must not act on part of a message.
     *
     * @throws IllegalArgumentException if the type is not carried or a member does not fit
     */
    public byte[] encode(JsonNode envelope) {
        String type = envelope.path("type").asText();
        XmlMessage message = byType.get(type);
        if (message == null) {
            throw new IllegalArgumentException(format + " carries " + String.join(", ", byType.keySet().stream()
                    .sorted().toList()) + "; not " + (type.isEmpty() ? "a message without type" : type));
        }
        for (Iterator<String> names = envelope.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("type") && !name.equals("payload") && memberFor(header, name) == null) {
                throw unmapped("/" + name);
            }
        }
        XmlWriter w = new XmlWriter();
        w.startRoot(message.root(), namespace);
        w.start(HEADER_ELEMENT);
        writeMembers(w, envelope, header, "");
        w.end(HEADER_ELEMENT);
        JsonNode payload = envelope.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("the message has no payload object");
        }
        checkMembers(payload, message.payload(), "/payload");
        writeMembers(w, payload, message.payload(), "/payload");
        w.end(message.root());
        return w.bytes();
    }

    private IllegalArgumentException unmapped(String pointer) {
        return new IllegalArgumentException("the canonical member " + pointer + " has no element in " + format
                + "; the message cannot be delivered in this format without losing it");
    }

    private static XmlMember memberFor(XmlObject type, String json) {
        for (XmlMember m : type.members()) {
            if (m.json().equals(json)) {
                return m;
            }
        }
        return null;
    }

    private void checkMembers(JsonNode object, XmlObject type, String pointer) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String constant = type.constants().get(field.getKey());
            if (constant != null) {
                if (!constant.equals(field.getValue().asText(null))) {
                    throw new IllegalArgumentException("the member " + pointer + "/" + field.getKey() + " must be '"
                            + constant + "' here");
                }
            } else if (memberFor(type, field.getKey()) == null) {
                throw unmapped(pointer + "/" + field.getKey());
            }
        }
    }

    private void writeMembers(XmlWriter w, JsonNode object, XmlObject type, String pointer) {
        for (XmlMember member : type.members()) {
            JsonNode value = object.get(member.json());
            String at = pointer + "/" + member.json();
            if (value == null) {
                if (member.mandatory()) {
                    throw new IllegalArgumentException("the required member " + at + " is missing");
                }
                continue;
            }
            if (member.list()) {
                if (!value.isArray()) {
                    throw new IllegalArgumentException("the member " + at + " is not an array");
                }
                w.start(member.outerElement());
                for (int i = 0; i < value.size(); i++) {
                    writeContent(w, value.get(i), member.element(), member.content(), at + "/" + i);
                }
                w.end(member.outerElement());
            } else {
                writeContent(w, value, member.element(), member.content(), at);
            }
        }
    }

    private void writeContent(XmlWriter w, JsonNode value, String element, XmlContent content, String pointer) {
        if (content instanceof XmlLeaf leaf) {
            w.leaf(element, leaf.write(value, pointer), pointer);
            return;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("the member " + pointer + " is not an object");
        }
        if (content instanceof XmlObject object) {
            checkMembers(value, object, pointer);
            w.start(element);
            writeMembers(w, value, object, pointer);
            w.end(element);
            return;
        }
        XmlVariant variant = (XmlVariant) content;
        XmlVariant.Alternative alternative = variant.alternatives().stream()
                .filter(a -> a.object().constants().entrySet().stream()
                        .allMatch(c -> c.getValue().equals(value.path(c.getKey()).asText(null))))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the member " + pointer + " is none of the forms of "
                        + variant.typeName()));
        checkMembers(value, alternative.object(), pointer);
        w.start(element);
        w.start(alternative.element());
        writeMembers(w, value, alternative.object(), pointer);
        w.end(alternative.element());
        w.end(element);
    }
}
