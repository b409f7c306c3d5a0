package vn.lienthong.connectors.xml;

import java.nio.charset.StandardCharsets;
import vn.lienthong.connectors.spi.UnencodableCharacterException;

/**
 * Writes an indented document element by element. Text is escaped so that a parser reads back
 * exactly the characters written: a carriage return becomes {@code &#13;} (a parser would turn a raw
 * one into a line feed), and characters XML 1.0 cannot carry are refused.
 */
final class XmlWriter {

    private static final String INDENT = "  ";

    private final StringBuilder out = new StringBuilder(4096);
    private int depth;
    private boolean startOpen;

    XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** Opens the root element with its default namespace. */
    void startRoot(String name, String namespace) {
        start(name);
        out.append(" xmlns=\"").append(escape(namespace, true, "the namespace")).append('"');
    }

    void start(String name) {
        closeStartTag();
        indent();
        out.append('<').append(name);
        startOpen = true;
        depth++;
    }

    void end(String name) {
        depth--;
        if (startOpen) {
            out.append("/>\n");
            startOpen = false;
            return;
        }
        indent();
        out.append("</").append(name).append(">\n");
    }

    /** An element with text content only. */
    void leaf(String name, String text, String pointer) {
        closeStartTag();
        indent();
        out.append('<').append(name).append('>').append(escape(text, false, pointer))
                .append("</").append(name).append(">\n");
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void closeStartTag() {
        if (startOpen) {
            out.append(">\n");
            startOpen = false;
        }
    }

    private void indent() {
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }

    private static String escape(String text, boolean attribute, String pointer) {
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '\r' -> s.append("&#13;");
                case '"' -> s.append(attribute ? "&quot;" : "\"");
                case '\t', '\n' -> s.append(attribute ? "&#" + (int) c + ";" : String.valueOf(c));
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        s.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                        // Only the position is named: the text may be personal data.
                        throw new UnencodableCharacterException(c, pointer.startsWith("/") ? pointer : "", "XML 1.0");
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }
}
