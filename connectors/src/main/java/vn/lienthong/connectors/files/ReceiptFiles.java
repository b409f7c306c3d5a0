package vn.lienthong.connectors.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The receipt file written beside an input file (the SFTP channel), a file-channel concern kept out
 * of the format interface ({@link vn.lienthong.connectors.spi.Connector}). A format with a receipt
 * file of its own (tax-csv's result CSV) declares one in {@code META-INF/services}; every other
 * format gets {@link JsonReceiptFiles}.
 */
public interface ReceiptFiles {

    /** The format (the registry's name) whose input files these receipt files answer. */
    String format();

    /** The name of the receipt file written beside an input file. */
    String fileName(String inputFileName);

    /**
     * The receipt file of one input written as receipts come, in bounded memory.
     *
     * @param out where the file goes; flushed by {@link ReceiptFileWriter#finish()}, not closed
     */
    ReceiptFileWriter writer(OutputStream out);

    /**
     * The whole receipt file of these receipts: the same bytes as {@link #writer(OutputStream)}
     * writes for them.
     *
     * @param receipts the canonical {@code receipt} messages, in input order
     */
    default byte[] file(List<byte[]> receipts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ReceiptFileWriter writer = writer(out);
            for (byte[] r : receipts) {
                writer.add(r);
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The receipt files of a format: the one declared for it in {@code META-INF/services}, else JSON. */
    static ReceiptFiles forFormat(String format) {
        ReceiptFiles declared = Declared.BY_FORMAT.get(format);
        return declared != null ? declared : new JsonReceiptFiles(format);
    }
}
