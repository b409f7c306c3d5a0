package vn.lienthong.connectors.spi;

/** The whole input cannot be decoded; the message says what and where. */
public class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String location;

    /** A failure at a location ("line 3", an XPath, or "" for the whole input). */
    public DecodeException(String location, String message) {
        super(message);
        this.location = location;
    }

    /** Where the input failed. */
    public String location() {
        return location;
    }
}
