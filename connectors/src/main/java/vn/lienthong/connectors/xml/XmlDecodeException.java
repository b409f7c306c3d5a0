package vn.lienthong.connectors.xml;

import vn.lienthong.connectors.spi.DecodeException;

/**
 * An XML input that cannot be decoded, located by an XPath-like path and, where the parser knew it,
 * line and column; the location reads {@code /YeuCauPhongToa/TaiKhoan/SoTaiKhoan (line 14, column 31)}.
 */
public class XmlDecodeException extends DecodeException {

    private static final long serialVersionUID = 1L;

    private final String xpath;
    private final int line;
    private final int column;

    /** A failure at an XPath (or "" for the whole input) and a position (0 where unknown). */
    public XmlDecodeException(String xpath, int line, int column, String message) {
        super(location(xpath, line, column), message);
        this.xpath = xpath;
        this.line = line;
        this.column = column;
    }

    /** The XPath of the element concerned ({@code /Root/Child[2]/Leaf}), or "" when none is known. */
    public String xpath() {
        return xpath;
    }

    /** The 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    private static String location(String xpath, int line, int column) {
        if (line <= 0) {
            return xpath;
        }
        String position = "line " + line + (column > 0 ? ", column " + column : "");
        return xpath.isEmpty() ? position : xpath + " (" + position + ")";
    }
}
