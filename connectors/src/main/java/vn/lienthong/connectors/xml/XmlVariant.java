package vn.lienthong.connectors.xml;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A canonical object of several forms told apart by a constant member (a subject's {@code kind}),
 * carried as an element holding exactly one child element, one per form (an XSD choice).
 *
 * @param typeName the XSD complexType name
 * @param doc one sentence for the XSD and the mapping tables
 * @param alternatives the forms, each an element name and the object type it holds
 */
public record XmlVariant(String typeName, String doc, List<Alternative> alternatives) implements XmlContent {

    /** One form: its element and its object type, whose constants identify it. */
    public record Alternative(String element, XmlObject object) {
        public Alternative {
            Objects.requireNonNull(element, "element");
            if (object.constants().isEmpty()) {
                throw new IllegalArgumentException("an alternative needs a constant member to be recognized");
            }
        }
    }

    public XmlVariant {
        Objects.requireNonNull(typeName, "typeName");
        Objects.requireNonNull(doc, "doc");
        alternatives = List.copyOf(alternatives);
    }

    /** A variant of these forms. */
    public static XmlVariant of(String typeName, String doc, Alternative... alternatives) {
        return new XmlVariant(typeName, doc, Arrays.asList(alternatives));
    }

    /** The form held by this element name, or null. */
    public Alternative forElement(String element) {
        return alternatives.stream().filter(a -> a.element().equals(element)).findFirst().orElse(null);
    }
}
