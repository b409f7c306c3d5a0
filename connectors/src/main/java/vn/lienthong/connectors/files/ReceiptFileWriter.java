package vn.lienthong.connectors.files;

import java.io.IOException;

/**
 * Writes the receipt file of one input receipt by receipt, as they come, so that the result of a
 * batch of a million rows never sits in memory (see {@link ReceiptFiles#writer}).
 */
public interface ReceiptFileWriter {

    /** Appends the receipt of the next item, in input order. */
    void add(byte[] receipt) throws IOException;

    /** Ends the file (a trailer, a closing bracket); the stream is flushed, not closed. */
    void finish() throws IOException;
}
