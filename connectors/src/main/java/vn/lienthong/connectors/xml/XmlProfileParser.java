package vn.lienthong.connectors.xml;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParser;
import javax.xml.validation.Schema;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;
import vn.lienthong.schemas.input.StrictInput;

/**
 * Reads an input of one of the XML profiles in one streaming pass, with a parser from
 * {@link HardenedXml}: the size cap and strict UTF-8 of {@link StrictInput}, the declared encoding
 * (UTF-8 only), well-formedness, element depth, the root and its namespace, no attributes but
 * schema hints, and XSD validation; the tree ({@link XmlElement}) is returned only when all passed.
 */
public final class XmlProfileParser {

    /** The largest input read: 5 MB, the canonical validator's limit too. */
    public static final int MAX_BYTES = StrictInput.DEFAULT_MAX_BYTES;

    /** The deepest element nesting accepted (the root is depth 1): {@link HardenedXml#MAX_DEPTH}. */
    public static final int MAX_DEPTH = HardenedXml.MAX_DEPTH;

    /** At most this many schema errors are collected before reading stops. */
    static final int MAX_SCHEMA_ERRORS = 10;

    private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
    private static final Pattern DECLARED_ENCODING =
            Pattern.compile("\\A<\\?xml[^>]*?\\sencoding\\s*=\\s*[\"']([^\"']*)[\"']");

    /** Size cap and strict UTF-8, shared with every reader of untrusted bytes. */
    private static final StrictInput INPUT = new StrictInput(MAX_BYTES, MAX_DEPTH);

    private XmlProfileParser() {
    }

    /**
     * Reads at most {@link #MAX_BYTES} bytes; more is refused without reading further.
     *
     * @throws XmlDecodeException when the input is larger or empty
     */
    public static byte[] readLimited(InputStream in) throws IOException, XmlDecodeException {
        byte[] bytes;
        try {
            bytes = INPUT.readLimited(in);
        } catch (StrictInput.Refusal r) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw new XmlDecodeException("", 0, 0, "the input is empty");
        }
        return bytes;
    }

    private static XmlDecodeException tooLarge() {
        return new XmlDecodeException("", 0, 0, "the input is larger than " + MAX_BYTES + " bytes (5 MB)");
    }

    /**
     * Decodes strict UTF-8 ({@link StrictInput#utf8}: a byte-order mark is skipped), refusing any
     * malformed byte and any XML declaration that names another encoding: the profiles are UTF-8
     * only, and the parser must not be left to guess.
     */
    public static String utf8(byte[] bytes) throws XmlDecodeException {
        String text;
        try {
            text = StrictInput.utf8(bytes);
        } catch (StrictInput.Refusal r) {
            String bom = StrictInput.bomLength(bytes) == 0 && StrictInput.startsWithUtf16Bom(bytes)
                    ? " (it starts like UTF-16)" : "";
            throw new XmlDecodeException("", r.line(), r.column(), String.format(
                    "the input is not UTF-8%s: byte %s at offset %d cannot be decoded; this profile accepts UTF-8 only",
                    bom, r.detail(), r.byteOffset()));
        }
        Matcher declared = DECLARED_ENCODING.matcher(text);
        if (declared.find()) {
            String name = declared.group(1);
            if (!name.equalsIgnoreCase("UTF-8") && !name.equalsIgnoreCase("UTF8")) {
                throw new XmlDecodeException("", 1, 0, "the XML declaration names the encoding '"
                        + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                        + "'; this profile accepts UTF-8 only");
            }
        }
        return text;
    }

    /**
     * Parses a document of one of the given roots in one pass: well-formedness, the security limits,
     * the root and its namespace, and (when a schema is given) XSD validation, all while streaming;
     * the tree is returned only when all passed.
     *
     * @param bytes the input, at most {@link #MAX_BYTES}
     * @param namespace the namespace every element must be in
     * @param roots the local names a root may have
     * @param schema the XSD to validate against, or null
     * @param format the profile's name, for messages
     */
    public static XmlElement parse(byte[] bytes, String namespace, Set<String> roots, Schema schema, String format)
            throws XmlDecodeException {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        String text = utf8(bytes);
        Reusable reusable = REUSABLE.get();
        SAXParser parser = reusable.parser != null ? reusable.parser : HardenedXml.saxParser();
        ValidatorHandler validator = schema == null ? null : reusable.validators.remove(schema);
        if (schema != null && validator == null) {
            validator = validatorHandler(schema);
        }
        reusable.parser = null; // taken: a parse that fails leaves nothing behind to be reused
        TreeHandler handler = new TreeHandler(namespace, roots, validator, format);
        try {
            parser.getXMLReader().setErrorHandler(handler.parserErrors());
            parser.parse(new InputSource(new StringReader(text)), handler);
        } catch (Abort a) {
            throw a.failure;
        } catch (SAXParseException e) {
            throw handler.notWellFormed(e);
        } catch (SAXException e) {
            throw new XmlDecodeException(handler.currentPath(), 0, 0, "the XML cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new XmlDecodeException("", 0, 0, "the XML cannot be read: " + e.getMessage());
        }
        XmlElement root = handler.finish();
        // Only after a clean parse are the parser and validator handed back for this thread's next input.
        reusable.parser = parser;
        if (validator != null) {
            if (reusable.validators.size() >= 8) {
                reusable.validators.clear(); // a validator holds its schema: keep few, for few profiles
            }
            reusable.validators.put(schema, validator);
        }
        return root;
    }

    /**
     * A thread's parser and validators, reused across inputs: building them costs more than parsing
     * a typical message. Taken out while in use and put back only after a parse that succeeded.
     */
    private static final class Reusable {
        private SAXParser parser;
        private final Map<Schema, ValidatorHandler> validators = new WeakHashMap<>();
    }

    private static final ThreadLocal<Reusable> REUSABLE = ThreadLocal.withInitial(Reusable::new);

    private static ValidatorHandler validatorHandler(Schema schema) {
        ValidatorHandler validator = schema.newValidatorHandler();
        try {
            validator.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            throw new IllegalStateException("the JDK's validator does not support the security settings", e);
        }
        return validator;
    }

    /** Stops the parse with a prepared failure. */
    private static final class Abort extends SAXException {
        private static final long serialVersionUID = 1L;
        private final transient XmlDecodeException failure;

        Abort(XmlDecodeException failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }

    /** A schema error, located when reported and given its final XPath once the tree is complete. */
    private record SchemaProblem(XmlElement element, int line, int column, String message) {
    }

    /** Builds the tree, checks depth, root and attributes, and feeds the XSD validator. */
    private static final class TreeHandler extends DefaultHandler {
        private final String namespace;
        private final Set<String> roots;
        private final String format;
        private final ValidatorHandler validator;
        private final Deque<XmlElement> open = new ArrayDeque<>();
        private final List<SchemaProblem> problems = new ArrayList<>();
        private Locator locator;
        private XmlElement root;

        TreeHandler(String namespace, Set<String> roots, ValidatorHandler validator, String format) {
            this.namespace = namespace;
            this.roots = roots;
            this.format = format;
            this.validator = validator;
            if (validator != null) {
                validator.setContentHandler(null);
                validator.setErrorHandler(new ErrorHandler() {
                    @Override
                    public void warning(SAXParseException e) {
                        // Warnings do not make a document invalid.
                    }

                    @Override
                    public void error(SAXParseException e) throws SAXException {
                        schemaProblem(e);
                    }

                    @Override
                    public void fatalError(SAXParseException e) throws SAXException {
                        schemaProblem(e);
                    }
                });
            }
        }

        ErrorHandler parserErrors() {
            return new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // Nothing a sender must fix.
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e; // e.g. an undeclared namespace prefix: the document is not usable
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            };
        }

        private void schemaProblem(SAXParseException e) throws SAXException {
            XmlElement at = open.peek() != null ? open.peek() : root;
            String key = e.getMessage() == null ? "" : e.getMessage();
            if (key.startsWith("cvc-type.3.1.3") && !problems.isEmpty() && problems.get(problems.size() - 1).element() == at) {
                return; // only repeats, for the element, the datatype or facet error just reported
            }
            problems.add(new SchemaProblem(at, e.getLineNumber(), e.getColumnNumber(), redact(e.getMessage(), at)));
            if (problems.size() >= MAX_SCHEMA_ERRORS) {
                throw new Abort(schemaFailure());
            }
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            if (validator != null) {
                validator.setDocumentLocator(locator);
            }
        }

        @Override
        public void startDocument() throws SAXException {
            if (validator != null) {
                validator.startDocument();
            }
        }

        @Override
        public void endDocument() throws SAXException {
            if (validator != null) {
                validator.endDocument();
            }
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            if (validator != null) {
                validator.startPrefixMapping(prefix, uri);
            }
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            if (validator != null) {
                validator.endPrefixMapping(prefix);
            }
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            XmlElement parent = open.peek();
            int line = locator == null ? 0 : locator.getLineNumber();
            int column = locator == null ? 0 : locator.getColumnNumber();
            XmlElement element = new XmlElement(parent, uri, localName, line, column);
            if (open.size() + 1 > MAX_DEPTH) {
                // Counted while streaming: nothing deeper is ever built.
                throw new Abort(new XmlDecodeException(element.shortXpath(4), line, column,
                        "elements are nested deeper than " + MAX_DEPTH + " levels"));
            }
            if (parent == null) {
                root = element;
                checkRoot(element);
            } else if (!namespace.equals(uri)) {
                throw new Abort(new XmlDecodeException(element.xpath(), line, column, "element <" + qName
                        + "> is in " + describe(uri) + "; every element of " + format + " is in '" + namespace + "'"));
            }
            for (int i = 0; i < atts.getLength(); i++) {
                boolean schemaHint = XSI.equals(atts.getURI(i)) && ("schemaLocation".equals(atts.getLocalName(i))
                        || "noNamespaceSchemaLocation".equals(atts.getLocalName(i)));
                if (!schemaHint) {
                    throw new Abort(new XmlDecodeException(element.xpath(), line, column, "attribute '"
                            + atts.getQName(i) + "' is not allowed: " + format + " carries its data in elements"));
                }
            }
            open.push(element);
            if (validator != null) {
                validator.startElement(uri, localName, qName, atts);
            }
        }

        private void checkRoot(XmlElement element) throws Abort {
            if (!roots.contains(element.name())) {
                throw new Abort(new XmlDecodeException("/" + element.name(), element.line(), element.column(),
                        "the root element <" + element.name() + "> is not a " + format + " message; expected one of "
                                + String.join(", ", roots)));
            }
            if (!namespace.equals(element.namespace())) {
                throw new Abort(new XmlDecodeException("/" + element.name(), element.line(), element.column(),
                        "the root element is in " + describe(element.namespace()) + "; " + format + " expects '"
                                + namespace + "'"));
            }
        }

        private static String describe(String uri) {
            return uri.isEmpty() ? "no namespace" : "namespace '" + uri + "'";
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if (validator != null) {
                validator.endElement(uri, localName, qName);
            }
            open.pop();
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            XmlElement current = open.peek();
            if (current != null) {
                current.appendText(ch, start, length);
            }
            if (validator != null) {
                validator.characters(ch, start, length);
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            if (validator != null) {
                validator.ignorableWhitespace(ch, start, length);
            }
        }

        String currentPath() {
            XmlElement at = open.peek();
            return at == null ? "" : at.xpath();
        }

        XmlDecodeException notWellFormed(SAXParseException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("DOCTYPE")) {
                return new XmlDecodeException(currentPath(), e.getLineNumber(), e.getColumnNumber(),
                        "a DOCTYPE (DTD) is not allowed: " + format + " refuses DTDs, and with them every entity declaration;"
                                + " nothing it refers to was read");
            }
            return new XmlDecodeException(currentPath(), e.getLineNumber(), e.getColumnNumber(),
                    "not well-formed XML: " + message);
        }

        XmlElement finish() throws XmlDecodeException {
            if (!problems.isEmpty()) {
                throw schemaFailure();
            }
            if (root == null) {
                throw new XmlDecodeException("", 0, 0, "the input holds no XML element");
            }
            return root;
        }

        /** One failure naming the first schema error's place, listing the others in the message. */
        private XmlDecodeException schemaFailure() {
            SchemaProblem first = problems.get(0);
            StringBuilder message = new StringBuilder("does not match the " + format + " schema (XSD): ")
                    .append(first.message());
            for (SchemaProblem p : problems.subList(1, problems.size())) {
                message.append("; ").append(p.element() == null ? "" : p.element().xpath())
                        .append(" (line ").append(p.line()).append(", column ").append(p.column()).append("): ")
                        .append(p.message());
            }
            if (problems.size() >= MAX_SCHEMA_ERRORS) {
                message.append("; reading stopped after ").append(MAX_SCHEMA_ERRORS).append(" errors");
            }
            return new XmlDecodeException(first.element() == null ? "" : first.element().xpath(), first.line(),
                    first.column(), message.toString());
        }
    }

    private static final Pattern QUALIFIED = Pattern.compile("\"[^\"]*\":");
    private static final Pattern[] VALUE_PATTERNS = {
        Pattern.compile("(?s)((?:[Vv]alue) )'.*'(?= (?:is not facet-valid|with length|has \\d|of element|of attribute))"),
        Pattern.compile("(?s)^(cvc-datatype-valid\\.1\\.2\\.\\d: )'.*'(?= is not a valid value)"),
    };

    /**
     * The validator's message without the offending value (it may be a CCCD or an account number)
     * and without namespace qualifiers; the XPath and position say where the value is.
     */
    static String redact(String message, XmlElement at) {
        if (message == null) {
            return "invalid";
        }
        String m = message;
        if (at != null) {
            String raw = at.text();
            String collapsed = raw.strip().replaceAll("[ \\t\\r\\n]+", " ");
            for (String value : new String[] {raw, collapsed}) {
                if (!value.isBlank()) {
                    m = m.replace("'" + value + "'", "(value withheld)");
                }
            }
        }
        for (Pattern p : VALUE_PATTERNS) {
            m = p.matcher(m).replaceAll("$1(value withheld)");
        }
        return QUALIFIED.matcher(m).replaceAll("");
    }
}
