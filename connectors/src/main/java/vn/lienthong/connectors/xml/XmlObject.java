package vn.lienthong.connectors.xml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A canonical object and the complex type that carries it: its members in element order, and
 * constant members the XML implies rather than carries (a person's {@code kind} is its element).
 *
 * @param typeName the XSD complexType name
 * @param doc one sentence for the XSD and the mapping tables
 * @param constants JSON members with a fixed string value, not carried in XML
 * @param members the members in XSD sequence order
 */
public record XmlObject(String typeName, String doc, Map<String, String> constants, List<XmlMember> members)
        implements XmlContent {

    public XmlObject {
        Objects.requireNonNull(typeName, "typeName");
        Objects.requireNonNull(doc, "doc");
        constants = Map.copyOf(constants);
        members = List.copyOf(members);
        java.util.Set<String> seen = new java.util.HashSet<>(constants.keySet());
        java.util.Set<String> elements = new java.util.HashSet<>();
        for (XmlMember m : members) {
            if (!seen.add(m.json()) || !elements.add(m.outerElement())) {
                throw new IllegalArgumentException(typeName + ": member or element twice: " + m.json());
            }
        }
    }

    /** An object type without constants. */
    public static XmlObject of(String typeName, String doc, XmlMember... members) {
        return new XmlObject(typeName, doc, Map.of(), Arrays.asList(members));
    }

    /** The same type with one more constant member. */
    public XmlObject constant(String json, String value) {
        Map<String, String> more = new LinkedHashMap<>(constants);
        more.put(json, value);
        return new XmlObject(typeName, doc, more, members);
    }

    /** The member carried by an element directly under this object's element, or null. */
    public XmlMember memberForElement(String outerElement) {
        for (XmlMember m : members) {
            if (m.outerElement().equals(outerElement)) {
                return m;
            }
        }
        return null;
    }
}
