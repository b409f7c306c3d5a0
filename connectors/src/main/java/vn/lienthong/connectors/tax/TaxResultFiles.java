package vn.lienthong.connectors.tax;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import vn.lienthong.connectors.files.ReceiptFileWriter;
import vn.lienthong.connectors.files.ReceiptFiles;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The result file of a tax-csv input (SFTP): one row per item of the input, in input order (for a
 * batch, row N answers data row N); a single receipt refusing the whole input (no messageId, every
 * error at pointer "") is one row {@code FILE,,FILE_REJECTED,...}. Columns: {@link Columns#RESULT}.
 */
public final class TaxResultFiles implements ReceiptFiles {

    @Override
    public String format() {
        return TaxCsvConnector.FORMAT;
    }

    /**
     * The result file written row by row. The first receipt is held until a second comes: a file
     * with a single whole-input refusal is the {@code FILE} row, not row 1.
     */
    @Override
    public ReceiptFileWriter writer(OutputStream out) {
        CsvWriter csv = new CsvWriter(out, Columns.RESULT);
        return new ReceiptFileWriter() {
            private byte[] first;
            private long count;

            @Override
            public void add(byte[] receipt) {
                count++;
                if (count == 1) {
                    first = receipt;
                    return;
                }
                if (first != null) {
                    resultRow(csv, first, 1, false);
                    first = null;
                }
                resultRow(csv, receipt, count, false);
            }

            @Override
            public void finish() {
                if (first != null) {
                    resultRow(csv, first, 1, true);
                }
                csv.finish();
            }
        };
    }

    /** One result row; {@code only} when the receipt is the only one of its input. */
    private static void resultRow(CsvWriter csv, byte[] bytes, long row, boolean only) {
        JsonNode receipt;
        try {
            receipt = CanonicalJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("receipt " + row + " is not a canonical receipt message", e);
        }
        JsonNode payload = receipt.path("payload");
        String status = payload.path("status").asText();
        String forMessage = payload.path("for").asText("");
        JsonNode errors = payload.path("errors");
        boolean wholeFile = only && status.equals("REJECTED") && forMessage.isEmpty()
                && errors.size() > 0 && allAtWholeInput(errors);
        String shown = status.equals("ACCEPTED") && payload.path("duplicate").asBoolean(false) ? "DUPLICATE"
                : wholeFile ? "FILE_REJECTED" : status;
        Set<String> codes = new LinkedHashSet<>();
        List<String> details = new ArrayList<>();
        for (JsonNode e : errors) {
            codes.add(e.path("code").asText());
            String pointer = e.path("pointer").asText("");
            details.add(e.path("code").asText() + (pointer.isEmpty() ? "" : " at " + pointer) + ": "
                    + e.path("message").asText());
        }
        csv.row(List.of(wholeFile ? "FILE" : Long.toString(row), forMessage, shown, String.join(" ", codes),
                String.join(" | ", details), receipt.path("messageId").asText("")));
    }

    private static boolean allAtWholeInput(JsonNode errors) {
        for (JsonNode e : errors) {
            if (!e.path("pointer").asText("").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** {@code <input without .csv>.result.csv}. */
    @Override
    public String fileName(String inputFileName) {
        String base = inputFileName.toLowerCase(Locale.ROOT).endsWith(".csv")
                ? inputFileName.substring(0, inputFileName.length() - 4) : inputFileName;
        return base + ".result.csv";
    }
}
