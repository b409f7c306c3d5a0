package vn.lienthong.connectors.edxml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads edXML elements by local name in the configured namespace or in none (implementations
 * differ: some qualify everything, some leave {@code AttachmentEncoded} unqualified, some use no
 * namespace at all), whatever the prefixes. Elements of other namespaces (the XML-DSig
 * {@code Signature}, extensions) are not edXML elements and are skipped.
 */
final class Dom {

    private final String namespace;

    Dom(String namespace) {
        this.namespace = namespace;
    }

    /** Whether the element is the edXML element of that local name. */
    boolean is(Element e, String localName) {
        return localName.equals(e.getLocalName()) && inScope(e);
    }

    /** Whether the element is in the configured namespace or in none. */
    boolean inScope(Element e) {
        String ns = e.getNamespaceURI();
        return ns == null || ns.isEmpty() || ns.equals(namespace);
    }

    /** The child elements of that local name, in document order. */
    List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && is(e, localName)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first child element of that local name, or null. */
    Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && is(e, localName)) {
                return e;
            }
        }
        return null;
    }

    /** The trimmed text of the first child of that local name; null when there is no such child. */
    String text(Element parent, String localName) {
        Element e = parent == null ? null : child(parent, localName);
        return e == null ? null : e.getTextContent().strip();
    }

    /** The XPath of an element by local names, with a position where siblings share the name. */
    static String xpath(Element e) {
        Deque<String> steps = new ArrayDeque<>();
        for (Node n = e; n instanceof Element el; n = n.getParentNode()) {
            int position = 1;
            int same = 0;
            Node parent = el.getParentNode();
            for (Node s = parent == null ? el : parent.getFirstChild(); s != null; s = s.getNextSibling()) {
                if (s instanceof Element sib && el.getLocalName().equals(sib.getLocalName())) {
                    same++;
                    if (s == el) {
                        position = same;
                    }
                }
                if (parent == null) {
                    break;
                }
            }
            steps.push(same > 1 ? el.getLocalName() + "[" + position + "]" : el.getLocalName());
        }
        return "/" + String.join("/", steps);
    }
}
