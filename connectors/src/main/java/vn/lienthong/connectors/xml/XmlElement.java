package vn.lienthong.connectors.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One element of a parsed document: name, text and child elements, with the line and column where
 * its start tag ended. A small read-only tree, enough for mapping and for precise error locations.
 */
public final class XmlElement {

    private final XmlElement parent;
    private final String namespace;
    private final String name;
    private final int line;
    private final int column;
    private final List<XmlElement> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlElement(XmlElement parent, String namespace, String name, int line, int column) {
        this.parent = parent;
        this.namespace = namespace;
        this.name = name;
        this.line = line;
        this.column = column;
        if (parent != null) {
            parent.children.add(this);
        }
    }

    /** The namespace URI, "" when none. */
    public String namespace() {
        return namespace;
    }

    /** The local name. */
    public String name() {
        return name;
    }

    /** The line where the start tag ended (1-based), 0 when unknown. */
    public int line() {
        return line;
    }

    /** The column where the start tag ended (1-based), 0 when unknown. */
    public int column() {
        return column;
    }

    /** The parent, or null for the root. */
    public XmlElement parent() {
        return parent;
    }

    /** The child elements in document order. */
    public List<XmlElement> children() {
        return Collections.unmodifiableList(children);
    }

    /** The character content directly inside this element, as the parser reported it. */
    public String text() {
        return text.toString();
    }

    void appendText(char[] ch, int start, int length) {
        text.append(ch, start, length);
    }

    /** The first child of this name, or null. */
    public XmlElement child(String localName) {
        for (XmlElement c : children) {
            if (c.name.equals(localName)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The path from the root, with a 1-based position where siblings share the name:
     * {@code /ThongBaoViPham/DanhSachDoiTuong/DoiTuong[2]/ToChuc/MaSoThue}.
     */
    public String xpath() {
        StringBuilder path = new StringBuilder();
        for (XmlElement e = this; e != null; e = e.parent) {
            path.insert(0, e.step());
        }
        return path.toString();
    }

    /** Like {@link #xpath()}, with the middle of a very deep path left out. */
    String shortXpath(int keepHead) {
        List<String> steps = new ArrayList<>();
        for (XmlElement e = this; e != null; e = e.parent) {
            steps.add(0, e.step());
        }
        if (steps.size() <= keepHead + 1) {
            return String.join("", steps);
        }
        return String.join("", steps.subList(0, keepHead)) + "/…" + steps.get(steps.size() - 1);
    }

    private String step() {
        if (parent == null) {
            return "/" + name;
        }
        int same = 0;
        int position = 0;
        for (XmlElement sibling : parent.children) {
            if (sibling.name.equals(name)) {
                same++;
                if (sibling == this) {
                    position = same;
                }
            }
        }
        return "/" + name + (same > 1 ? "[" + position + "]" : "");
    }
}
