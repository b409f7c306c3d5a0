package vn.lienthong.connectors.xml;

/** What an element holds: a typed value, an object of child elements, or one of several objects. */
public sealed interface XmlContent permits XmlLeaf, XmlObject, XmlVariant {

    /** The XSD type name (simple or complex), or null for a built-in XSD type. */
    String typeName();

    /** One sentence for the XSD and the mapping tables. */
    String doc();
}
