package vn.lienthong.connectors.xml;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;

/**
 * The one place XML parsers are made hardened, for every XML format (the XML profiles, edXML, tools
 * and tests): every parser built here refuses DTDs outright (so no entity, internal or external, is
 * ever declared or expanded), resolves nothing external (DTDs, schemas), runs with secure processing
 * and the JDK's entity limits as a second line, and bounds element depth. Always the JDK's own
 * implementations are used, so that a parser brought in by some other library cannot silently
 * ignore these settings.
 */
public final class HardenedXml {

    /** The deepest element nesting accepted (the root is depth 1); the profiles need about 10. */
    public static final int MAX_DEPTH = 64;

    private static final SAXParserFactory SAX = saxParserFactory();

    private HardenedXml() {
    }

    /** A namespace-aware SAX parser factory that refuses DTDs and resolves nothing external. */
    public static SAXParserFactory saxParserFactory() {
        try {
            SAXParserFactory f = SAXParserFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // No DOCTYPE at all: no entity can be declared, so neither XXE nor "billion laughs".
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f;
        } catch (ParserConfigurationException | SAXNotRecognizedException | SAXNotSupportedException e) {
            throw new IllegalStateException("the JDK's SAX parser does not support the security features", e);
        }
    }

    /** A SAX parser from {@link #saxParserFactory()} with external access and entity limits set. */
    public static SAXParser saxParser() {
        try {
            SAXParser parser = SAX.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // Second line of defence should a DTD ever get through: tight entity and depth limits.
            parser.setProperty("jdk.xml.entityExpansionLimit", "100");
            parser.setProperty("jdk.xml.maxGeneralEntitySizeLimit", "4096");
            parser.setProperty("jdk.xml.maxParameterEntitySizeLimit", "4096");
            parser.setProperty("jdk.xml.totalEntitySizeLimit", "65536");
            parser.setProperty("jdk.xml.maxElementDepth", Integer.toString(MAX_DEPTH + 1));
            parser.setProperty("jdk.xml.elementAttributeLimit", "20");
            return parser;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser does not support the security properties", e);
        }
    }

    /** A namespace-aware DOM builder factory with the same protections (for tools and tests). */
    public static DocumentBuilderFactory documentBuilderFactory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.entityExpansionLimit", "100");
            f.setAttribute("jdk.xml.maxElementDepth", Integer.toString(MAX_DEPTH + 1));
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM parser does not support the security features", e);
        }
    }

    /** A W3C XML Schema factory that never fetches an imported, included or referenced resource. */
    public static SchemaFactory schemaFactory() {
        try {
            SchemaFactory f = SchemaFactory.newDefaultInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return f;
        } catch (SAXException e) {
            throw new IllegalStateException("the JDK's schema factory does not support the security features", e);
        }
    }
}
