package vn.lienthong.connectors.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a profile's XSD from its mapping tables, so that the schema the decoder validates against
 * and the mapping it applies cannot drift apart: the bundled {@code .xsd} is this output, checked
 * by a test. Types are named after their complex or simple type; list wrappers are anonymous.
 */
public final class XsdWriter {

    /** Above this, a list's maximum is left to the canonical validator (large counted particles are slow). */
    static final int MAX_COUNTED_OCCURS = 100;

    private final XmlProfile profile;
    private final Map<String, XmlContent> complexTypes = new LinkedHashMap<>();
    private final Map<String, XmlLeaf> simpleTypes = new LinkedHashMap<>();
    private final StringBuilder out = new StringBuilder(32 * 1024);

    /** A writer for this profile. */
    public XsdWriter(XmlProfile profile) {
        this.profile = profile;
    }

    /** The XSD document. */
    public String write() {
        collect(profile.header());
        for (XmlMessage m : profile.messages()) {
            collect(m.payload());
        }
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<!-- ").append(profile.format()).append(" v1: generated from the mapping tables of the connector"
                + " (vn.lienthong.connectors);\n     change the tables, not this file. The connector validates"
                + " every input against it. -->\n");
        out.append("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"").append(attr(profile.namespace()))
                .append("\"\n    targetNamespace=\"").append(attr(profile.namespace()))
                .append("\" elementFormDefault=\"qualified\" version=\"1.0\">\n\n");
        for (XmlMessage m : profile.messages()) {
            out.append("  <xs:element name=\"").append(m.root()).append("\" type=\"").append(m.root()).append("\">\n");
            documentation(4, m.type().wireName() + ": " + m.payload().doc());
            out.append("  </xs:element>\n");
        }
        out.append('\n');
        for (XmlMessage m : profile.messages()) {
            complexType(m.payload(), true);
        }
        for (XmlContent type : complexTypes.values()) {
            if (profile.messages().stream().noneMatch(m -> m.payload() == type)) {
                if (type instanceof XmlObject o) {
                    complexType(o, false);
                } else {
                    variantType((XmlVariant) type);
                }
            }
        }
        for (XmlLeaf leaf : simpleTypes.values()) {
            simpleType(leaf);
        }
        out.append("</xs:schema>\n");
        return out.toString();
    }

    private void collect(XmlContent content) {
        if (content instanceof XmlLeaf leaf) {
            if (leaf.typeName() != null) {
                register(simpleTypes, leaf.typeName(), leaf);
            }
            return;
        }
        if (!register(complexTypes, content.typeName(), content)) {
            return;
        }
        if (content instanceof XmlObject o) {
            for (XmlMember m : o.members()) {
                collect(m.content());
            }
        } else {
            for (XmlVariant.Alternative a : ((XmlVariant) content).alternatives()) {
                collect(a.object());
            }
        }
    }

    /** Registers a named type; false when it was there already. Two different types may not share a name. */
    private static <T extends XmlContent> boolean register(Map<String, T> types, String name, T type) {
        T earlier = types.get(name);
        if (earlier == null) {
            types.put(name, type);
            return true;
        }
        if (earlier != type && !earlier.equals(type)) {
            throw new IllegalStateException("two different XSD types are named " + name);
        }
        return false;
    }

    private void complexType(XmlObject type, boolean root) {
        out.append("  <xs:complexType name=\"").append(type.typeName()).append("\">\n");
        documentation(4, type.doc() + constantsNote(type));
        out.append("    <xs:sequence>\n");
        if (root) {
            out.append("      <xs:element name=\"").append(XmlProfile.HEADER_ELEMENT).append("\" type=\"")
                    .append(profile.header().typeName()).append("\"/>\n");
        }
        for (XmlMember m : type.members()) {
            member(m);
        }
        out.append("    </xs:sequence>\n");
        out.append("  </xs:complexType>\n\n");
    }

    private static String constantsNote(XmlObject type) {
        List<String> notes = new ArrayList<>();
        type.constants().forEach((k, v) -> notes.add("canonical " + k + " = " + v));
        return notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")";
    }

    private void variantType(XmlVariant type) {
        out.append("  <xs:complexType name=\"").append(type.typeName()).append("\">\n");
        documentation(4, type.doc());
        out.append("    <xs:choice>\n");
        for (XmlVariant.Alternative a : type.alternatives()) {
            out.append("      <xs:element name=\"").append(a.element()).append("\" type=\"")
                    .append(a.object().typeName()).append("\"/>\n");
        }
        out.append("    </xs:choice>\n");
        out.append("  </xs:complexType>\n\n");
    }

    private void member(XmlMember m) {
        String note = "canonical " + m.json() + (m.doc().isEmpty() ? "" : ": " + m.doc());
        if (!m.list()) {
            out.append("      <xs:element name=\"").append(m.element()).append("\" type=\"")
                    .append(m.content().typeName() != null ? m.content().typeName()
                            : ((XmlLeaf) m.content()).xsdTypeReference())
                    .append('"').append(m.mandatory() ? "" : " minOccurs=\"0\"").append(">\n");
            documentation(8, note);
            out.append("      </xs:element>\n");
            return;
        }
        out.append("      <xs:element name=\"").append(m.outerElement()).append('"')
                .append(m.mandatory() ? "" : " minOccurs=\"0\"").append(">\n");
        documentation(8, note);
        out.append("        <xs:complexType>\n          <xs:sequence>\n");
        String max = m.maxItems() > 0 && m.maxItems() <= MAX_COUNTED_OCCURS ? Integer.toString(m.maxItems()) : "unbounded";
        out.append("            <xs:element name=\"").append(m.element()).append("\" type=\"")
                .append(m.content().typeName() != null ? m.content().typeName()
                        : ((XmlLeaf) m.content()).xsdTypeReference())
                .append("\" minOccurs=\"").append(m.minItems()).append("\" maxOccurs=\"").append(max).append("\"/>\n");
        out.append("          </xs:sequence>\n        </xs:complexType>\n");
        out.append("      </xs:element>\n");
    }

    private void simpleType(XmlLeaf leaf) {
        out.append("  <xs:simpleType name=\"").append(leaf.typeName()).append("\">\n");
        documentation(4, leaf.doc());
        out.append("    <xs:restriction base=\"").append(leaf.kind().xsdBase()).append("\">\n");
        if (leaf.minLength() != null) {
            out.append("      <xs:minLength value=\"").append(leaf.minLength()).append("\"/>\n");
        }
        if (leaf.maxLength() != null) {
            out.append("      <xs:maxLength value=\"").append(leaf.maxLength()).append("\"/>\n");
        }
        if (leaf.minInclusive() != null) {
            out.append("      <xs:minInclusive value=\"").append(leaf.minInclusive()).append("\"/>\n");
        }
        if (leaf.maxInclusive() != null) {
            out.append("      <xs:maxInclusive value=\"").append(leaf.maxInclusive()).append("\"/>\n");
        }
        if (leaf.pattern() != null) {
            out.append("      <xs:pattern value=\"").append(attr(leaf.pattern())).append("\"/>\n");
        }
        if (leaf.codes() != null) {
            for (CodeList.Code c : leaf.codes().codes()) {
                out.append("      <xs:enumeration value=\"").append(attr(c.xml())).append("\">\n");
                documentation(8, "canonical " + c.canonical() + ": " + c.doc());
                out.append("      </xs:enumeration>\n");
            }
        }
        out.append("    </xs:restriction>\n");
        out.append("  </xs:simpleType>\n\n");
    }

    private void documentation(int indent, String text) {
        String pad = " ".repeat(indent);
        out.append(pad).append("<xs:annotation><xs:documentation>").append(text(text))
                .append("</xs:documentation></xs:annotation>\n");
    }

    private static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;");
    }
}
