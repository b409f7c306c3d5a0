package vn.lienthong.connectors.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a profile's element-by-element mapping as Markdown tables (one per XSD type, then the
 * simple types and code lists), from the same tables the connector runs on; the format's README
 * embeds this output between markers, and a test keeps it current.
 */
public final class MappingTables {

    /** The line before the generated part of a README. */
    public static final String BEGIN = "<!-- BEGIN GENERATED MAPPING (MappingTables; do not edit by hand) -->";

    /** The line after the generated part of a README. */
    public static final String END = "<!-- END GENERATED MAPPING -->";

    private final XmlProfile profile;
    private final Map<String, XmlContent> complexTypes = new LinkedHashMap<>();
    private final Map<String, XmlLeaf> simpleTypes = new LinkedHashMap<>();

    /** Tables for this profile. */
    public MappingTables(XmlProfile profile) {
        this.profile = profile;
    }

    /** The Markdown, from {@link #BEGIN} to {@link #END} inclusive. */
    public String write() {
        collect(profile.header());
        for (XmlMessage m : profile.messages()) {
            collect(m.payload());
        }
        StringBuilder out = new StringBuilder(BEGIN).append("\n\n");
        for (XmlMessage m : profile.messages()) {
            out.append("#### `").append(m.root()).append("` — `").append(m.type().wireName()).append("`\n\n")
                    .append(m.payload().doc()).append("\n\n");
            header(out);
            out.append("| `").append(XmlProfile.HEADER_ELEMENT).append("` | the envelope | [`")
                    .append(profile.header().typeName()).append("`](#").append(anchor(profile.header().typeName()))
                    .append(") | 1 |\n");
            rows(out, m.payload(), "/payload/");
            out.append('\n');
        }
        for (XmlContent type : complexTypes.values()) {
            if (profile.messages().stream().anyMatch(m -> m.payload() == type)) {
                continue;
            }
            out.append("#### `").append(type.typeName()).append("`\n\n").append(type.doc()).append("\n\n");
            if (type instanceof XmlObject o) {
                o.constants().forEach((k, v) -> out.append("Canonical `").append(k).append("` is `").append(v)
                        .append("`, implied by the element; it is not carried.\n\n"));
                header(out);
                rows(out, o, type == profile.header() ? "/" : "");
            } else {
                out.append("Exactly one of:\n\n| element | canonical | XSD type |\n| --- | --- | --- |\n");
                for (XmlVariant.Alternative a : ((XmlVariant) type).alternatives()) {
                    out.append("| `").append(a.element()).append("` | ");
                    a.object().constants().forEach((k, v) -> out.append('`').append(k).append("` = `").append(v)
                            .append("` "));
                    out.append("| ").append(typeLink(a.object())).append(" |\n");
                }
            }
            out.append('\n');
        }
        out.append("#### Simple types\n\n| XSD type | base | constraints | canonical JSON |\n| --- | --- | --- | --- |\n");
        for (XmlLeaf leaf : simpleTypes.values()) {
            out.append("| <a id=\"").append(anchor(leaf.typeName())).append("\"></a>`").append(leaf.typeName())
                    .append("` | `").append(leaf.kind().xsdBase()).append("` | ").append(constraints(leaf))
                    .append(" | ").append(json(leaf)).append(" |\n");
        }
        out.append('\n');
        for (XmlLeaf leaf : simpleTypes.values()) {
            if (leaf.codes() == null) {
                continue;
            }
            out.append("#### Code list `").append(leaf.typeName()).append("`\n\n").append(leaf.doc()).append("\n\n")
                    .append("| XML | canonical | meaning |\n| --- | --- | --- |\n");
            for (CodeList.Code c : leaf.codes().codes()) {
                out.append("| `").append(c.xml()).append("` | `").append(c.canonical()).append("` | ")
                        .append(c.doc()).append(" |\n");
            }
            out.append('\n');
        }
        return out.append(END).append('\n').toString();
    }

    private static void header(StringBuilder out) {
        out.append("| element | canonical | XSD type | occurs |\n| --- | --- | --- | --- |\n");
    }

    private void rows(StringBuilder out, XmlObject type, String prefix) {
        for (XmlMember m : type.members()) {
            String element = m.list() ? m.outerElement() + "/" + m.element() : m.element();
            String occurs = m.mandatory() ? "1" : "0..1";
            if (m.list()) {
                occurs += ", items " + m.minItems() + ".." + (m.maxItems() > 0 ? Integer.toString(m.maxItems()) : "n");
                if (m.maxItems() > XsdWriter.MAX_COUNTED_OCCURS) {
                    occurs += " (the maximum is checked by the canonical validator)";
                }
            }
            out.append("| `").append(element).append("` | `").append(prefix).append(m.json())
                    .append(m.list() ? "[]" : "").append('`').append(m.doc().isEmpty() ? "" : " — " + m.doc())
                    .append(" | ").append(typeLink(m.content())).append(" | ").append(occurs).append(" |\n");
        }
    }

    private static String typeLink(XmlContent content) {
        String name = content.typeName() != null ? content.typeName() : ((XmlLeaf) content).xsdTypeReference();
        return content.typeName() == null ? "`" + name + "`" : "[`" + name + "`](#" + anchor(name) + ")";
    }

    private static String anchor(String typeName) {
        return typeName.toLowerCase(java.util.Locale.ROOT);
    }

    private static String constraints(XmlLeaf leaf) {
        List<String> parts = new ArrayList<>();
        if (leaf.minLength() != null || leaf.maxLength() != null) {
            parts.add("length " + (leaf.minLength() == null ? "0" : leaf.minLength()) + ".."
                    + (leaf.maxLength() == null ? "n" : leaf.maxLength()));
        }
        if (leaf.minInclusive() != null && leaf.maxInclusive() != null) {
            parts.add(leaf.minInclusive() + " … " + leaf.maxInclusive());
        } else if (leaf.minInclusive() != null) {
            parts.add("≥ " + leaf.minInclusive());
        } else if (leaf.maxInclusive() != null) {
            parts.add("≤ " + leaf.maxInclusive());
        }
        if (leaf.pattern() != null) {
            parts.add("pattern `" + leaf.pattern().replace("|", "\\|") + "`");
        }
        if (leaf.codes() != null) {
            parts.add("code list (below)");
        }
        return parts.isEmpty() ? "—" : String.join("; ", parts);
    }

    private static String json(XmlLeaf leaf) {
        return switch (leaf.kind()) {
            case TEXT -> "string, every character kept";
            case TOKEN -> "string, white space collapsed";
            case LONG, INT -> "integer";
            case DECIMAL -> "number (an integral value becomes an integer)";
            case BOOLEAN -> "boolean";
            case DATE -> "string `YYYY-MM-DD`";
            case DATE_TIME -> "string, RFC 3339 with offset";
            case CODE -> "string, the canonical code";
        };
    }

    private void collect(XmlContent content) {
        if (content instanceof XmlLeaf leaf) {
            if (leaf.typeName() != null) {
                simpleTypes.putIfAbsent(leaf.typeName(), leaf);
            }
            return;
        }
        if (complexTypes.putIfAbsent(content.typeName(), content) != null) {
            return;
        }
        if (content instanceof XmlObject o) {
            o.members().forEach(m -> collect(m.content()));
        } else {
            ((XmlVariant) content).alternatives().forEach(a -> collect(a.object()));
        }
    }
}
