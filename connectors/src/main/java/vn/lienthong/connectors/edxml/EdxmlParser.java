package vn.lienthong.connectors.edxml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.xml.HardenedXml;
import vn.lienthong.schemas.input.StrictInput;

/**
 * The edXML parser: untrusted edXML into a DOM, with the JDK parser hardened as every XML parser is
 * ({@link HardenedXml#documentBuilderFactory()}): no DOCTYPE at all (hence no DTD,
 * no external entities, no entity expansion such as billion laughs), no XInclude, no external
 * access, secure processing, a nesting limit, a size limit, and UTF-8 only (checked byte by byte
 * first by {@link StrictInput}, so that the error names the line and column of the first bad byte).
 */
final class EdxmlParser {

    private static final String DEPTH_LIMIT = "jdk.xml.maxElementDepth";
    private static final Pattern DECLARED_ENCODING =
            Pattern.compile("\\A<\\?xml[^>]*?\\sencoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']");

    private final DocumentBuilderFactory factory;
    private final int maxBytes;
    private final int maxDepth;
    private final StrictInput input;

    EdxmlParser(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.input = new StrictInput(maxBytes, maxDepth);
        this.factory = factory(maxDepth);
    }

    private static DocumentBuilderFactory factory(int maxDepth) {
        // The hardening is the shared one (HardenedXml): one place to keep right.
        DocumentBuilderFactory f = HardenedXml.documentBuilderFactory();
        f.setIgnoringComments(true);
        try {
            f.setAttribute(DEPTH_LIMIT, Integer.toString(maxDepth));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the JDK XML parser does not support the depth limit", e);
        }
        return f;
    }

    /** Reads at most the size limit, refusing anything larger. */
    byte[] read(java.io.InputStream in) throws IOException, DecodeException {
        try {
            return input.readLimited(in);
        } catch (StrictInput.Refusal r) {
            throw new DecodeException("", "the edXML document is larger than " + maxBytes + " bytes");
        }
    }

    /** The DOM of a UTF-8 document; every refusal is a {@link DecodeException} naming where. */
    Document parse(byte[] bytes) throws DecodeException {
        int start = StrictInput.bomLength(bytes);
        if (bytes.length == start) {
            throw new DecodeException("", "the input is empty");
        }
        if (StrictInput.startsWithUtf16Bom(bytes) || bytes.length >= 2 && (bytes[0] == 0 || bytes[1] == 0)) {
            throw new DecodeException("", "the document is not UTF-8 (UTF-16?); edXML here is UTF-8 only");
        }
        try {
            StrictInput.checkUtf8(bytes);
        } catch (StrictInput.Refusal r) {
            throw new DecodeException("", "bytes that are not UTF-8 at line " + r.line() + ", column " + r.column()
                    + " (byte offset " + r.byteOffset() + "); edXML here is UTF-8 only");
        }
        String head = new String(bytes, start, Math.min(200, bytes.length - start), StandardCharsets.UTF_8);
        Matcher declared = DECLARED_ENCODING.matcher(head);
        if (declared.find()) {
            String enc = declared.group(1).toUpperCase(Locale.ROOT);
            if (!enc.equals("UTF-8") && !enc.equals("UTF8")) {
                throw new DecodeException("", "the XML declaration names encoding " + declared.group(1)
                        + "; edXML here is UTF-8 only");
            }
        }
        try {
            DocumentBuilder builder;
            // A factory is not guaranteed thread-safe; a builder is used by this call only.
            synchronized (factory) {
                builder = factory.newDocumentBuilder();
            }
            builder.setErrorHandler(THROWING);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            InputSource source = new InputSource(new ByteArrayInputStream(bytes, start, bytes.length - start));
            source.setEncoding("UTF-8");
            return builder.parse(source);
        } catch (SAXParseException e) {
            throw new DecodeException("", "not well-formed edXML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + explain(e.getMessage()));
        } catch (SAXException e) {
            throw new DecodeException("", "not well-formed edXML: " + explain(e.getMessage()));
        } catch (ParserConfigurationException | IOException e) {
            throw new DecodeException("", "the edXML document could not be read: " + e.getMessage());
        }
    }

    /** The parser's wording for the refusals that matter, said plainly. */
    private String explain(String message) {
        String m = message == null ? "" : message;
        if (m.contains("DOCTYPE") || m.contains("disallow-doctype-decl")) {
            return "a DOCTYPE (DTD) is not allowed: edXML needs none, and entities are refused";
        }
        if (m.contains("maxElementDepth") || m.contains("JAXP00010006")) {
            return "elements are nested deeper than " + maxDepth + " levels";
        }
        return m;
    }

    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // warnings do not make a document unreadable
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
