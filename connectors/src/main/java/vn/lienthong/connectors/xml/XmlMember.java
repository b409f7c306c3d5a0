package vn.lienthong.connectors.xml;

import java.util.Objects;

/**
 * One member of a canonical object and the element that carries it. A list member is carried by a
 * wrapper element {@code DanhSach<element>} holding one {@code <element>} per item, so that an
 * empty list and an absent one stay apart.
 *
 * @param json the canonical member name
 * @param element the element name (of the item, for a list)
 * @param content what the element holds
 * @param mandatory whether the member (the wrapper, for a list) must be present
 * @param list whether the member is a JSON array
 * @param minItems the fewest items of a list
 * @param maxItems the most items of a list, or 0 for no limit
 * @param doc a note for the XSD and the mapping tables, or ""
 */
public record XmlMember(String json, String element, XmlContent content, boolean mandatory, boolean list,
        int minItems, int maxItems, String doc) {

    /** The prefix of a list's wrapper element. */
    public static final String LIST_PREFIX = "DanhSach";

    public XmlMember {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(doc, "doc");
    }

    /** An optional single member. */
    public static XmlMember of(String json, String element, XmlContent content) {
        return new XmlMember(json, element, content, false, false, 0, 0, "");
    }

    /** An optional list member, any number of items. */
    public static XmlMember list(String json, String itemElement, XmlContent content) {
        return new XmlMember(json, itemElement, content, false, true, 0, 0, "");
    }

    /** The same member, required. */
    public XmlMember required() {
        return new XmlMember(json, element, content, true, list, minItems, maxItems, doc);
    }

    /** The same list with item bounds (max 0: none). */
    public XmlMember items(int min, int max) {
        return new XmlMember(json, element, content, mandatory, list, min, max, doc);
    }

    /** The same member with a note. */
    public XmlMember doc(String note) {
        return new XmlMember(json, element, content, mandatory, list, minItems, maxItems, note);
    }

    /** The element directly under the parent: the wrapper of a list, else the element itself. */
    public String outerElement() {
        return list ? LIST_PREFIX + element : element;
    }
}
