package vn.lienthong.connectors.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The receipt file of a format without one of its own: {@code <input>.receipt.json}, holding one
 * receipt as is, several as a JSON array (the first is held until the second comes, to tell the two
 * apart).
 */
public final class JsonReceiptFiles implements ReceiptFiles {

    private final String format;

    /** The JSON receipt files of a format. */
    public JsonReceiptFiles(String format) {
        this.format = format;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public String fileName(String inputFileName) {
        return inputFileName + ".receipt.json";
    }

    @Override
    public ReceiptFileWriter writer(OutputStream out) {
        return new ReceiptFileWriter() {
            private byte[] first;
            private long count;

            @Override
            public void add(byte[] receipt) throws IOException {
                count++;
                if (count == 1) {
                    first = receipt;
                    return;
                }
                if (count == 2) {
                    out.write('[');
                    out.write(first);
                    first = null;
                }
                out.write(",\n".getBytes(StandardCharsets.UTF_8));
                out.write(receipt);
            }

            @Override
            public void finish() throws IOException {
                if (count == 1) {
                    out.write(first);
                } else {
                    if (count == 0) {
                        out.write('[');
                    }
                    out.write(']');
                }
                out.flush();
            }
        };
    }
}
