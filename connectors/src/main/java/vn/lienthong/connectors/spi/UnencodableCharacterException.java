package vn.lienthong.connectors.spi;

/**
 * A message holds a character its recipient's format cannot carry (XML 1.0 has no C0 control but
 * tab, line feed and carriage return, no lone surrogate, no U+FFFE or U+FFFF; UTF-8 has no lone
 * surrogate), thrown by {@link Connector#encode} rather than writing a document its recipient
 * cannot read or silently replacing the character. It names the code point and, when the writer
 * knows it, the canonical JSON pointer of the text; never the text, which may be personal data.
 */
public final class UnencodableCharacterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int codePoint;
    private final String pointer;

    /**
     * @param codePoint the character (a lone surrogate is its own code point)
     * @param pointer the canonical JSON pointer of the text holding it, or "" when the writer does not know it
     * @param format what cannot carry it, e.g. "XML 1.0"
     */
    public UnencodableCharacterException(int codePoint, String pointer, String format) {
        super(String.format("%s holds the character U+%04X, which %s cannot carry",
                pointer.isEmpty() ? "a text" : "the text at " + pointer, codePoint, format));
        this.codePoint = codePoint;
        this.pointer = pointer;
    }

    /** The character that cannot be carried. */
    public int codePoint() {
        return codePoint;
    }

    /** The canonical JSON pointer of the text holding it, or "". */
    public String pointer() {
        return pointer;
    }
}
