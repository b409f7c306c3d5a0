package vn.lienthong.connectors.tax;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.connectors.tax.Columns.Response;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.input.StrictInput;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.InfoAsk;
import vn.lienthong.schemas.v1.InfoRequest;
import vn.lienthong.schemas.v1.Listing;
import vn.lienthong.schemas.v1.Organization;
import vn.lienthong.schemas.v1.Person;
import vn.lienthong.schemas.v1.Subject;

/**
 * The {@code tax-csv} format: SFTP batches with the tax authority (MOF.TAX). An info.response batch
 * file decodes, streamed, into one canonical info.response per data row; an info.request encodes
 * into a request file; the receipts of a batch become a result file with one row per data row. The
 * column specs and every rule are in {@code formats/tax-csv/README.md}.
 *
 * <p>A file whose structure is broken (header, quoting, UTF-8, column count, batch id, trailer) is
 * refused as a whole with a {@link DecodeException} whose location is {@code ""} and whose message
 * names the line. Because items stream to the sink as rows are read, that exception can come after
 * items were emitted (the trailer is only checked at the end): the caller must then drop every item
 * of the file. A row whose values are wrong is a {@link Decoded.Failure} at {@code line N}; the other
 * rows still count.
 */
public final class TaxCsvConnector implements Connector {

    /** The registry's name of this format. */
    public static final String FORMAT = "tax-csv";

    /** The agency every decoded message comes from. */
    public static final String SENDER = "MOF.TAX";

    /** The namespace of the row messageIds: UUIDv5 of this profile's URL in the RFC 9562 URL namespace. */
    public static final UUID MESSAGE_ID_NAMESPACE =
            NameBasedUuid.v5(NameBasedUuid.URL_NAMESPACE, "https://schemas.lienthong.vn/formats/tax-csv");

    private static final int MAX_RECORD_BYTES = 1 << 20;
    private static final int MAX_COLUMNS = 64;
    /** As the canonical-json format: above this the validator refuses the message anyway. */
    private static final int JSON_READ_LIMIT = 64 * 1024 * 1024;
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,18}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String mediaType() {
        return "text/csv";
    }

    @Override
    public String extension() {
        return ".csv";
    }

    /**
     * The messageId of data row {@code row} (1 = the first row after the header) of batch
     * {@code batchId}: the same file read twice gives the same ids, so a file processed again after a
     * crash is recognized as duplicates.
     */
    public static UUID messageIdOf(String batchId, long row) {
        return NameBasedUuid.v5(MESSAGE_ID_NAMESPACE, batchId + "/" + row);
    }

    /**
     * The columns of an info.response row, by the canonical pointer of what they carry (README
     * section 2); the first pattern that matches the whole pointer wins.
     */
    private static final List<java.util.Map.Entry<Pattern, Response>> COLUMN_OF = List.of(
            java.util.Map.entry(Pattern.compile("/messageId"), Response.BATCH_ID),
            java.util.Map.entry(Pattern.compile("/inReplyTo|/payload/request"), Response.REQUEST_MESSAGE_ID),
            java.util.Map.entry(Pattern.compile("/recipients(/.*)?"), Response.REQUESTER),
            java.util.Map.entry(Pattern.compile("/correlationId"), Response.CORRELATION_ID),
            java.util.Map.entry(Pattern.compile("/createdAt"), Response.CREATED_AT),
            java.util.Map.entry(Pattern.compile("/payload/status"), Response.STATUS),
            java.util.Map.entry(Pattern.compile("/payload/reason"), Response.REASON),
            java.util.Map.entry(Pattern.compile("/payload/results/0/ask"), Response.ASK),
            java.util.Map.entry(Pattern.compile("/payload/results/0/subject/kind"), Response.SUBJECT_KIND),
            java.util.Map.entry(Pattern.compile("/payload/results/0/subject/(fullName|name)"), Response.SUBJECT_NAME),
            java.util.Map.entry(Pattern.compile("/payload/results/0/subject/taxCode"), Response.SUBJECT_TAX_CODE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/subject/cccd"), Response.SUBJECT_CCCD),
            java.util.Map.entry(Pattern.compile("/payload/results/0/subject"), Response.SUBJECT_KIND),
            java.util.Map.entry(Pattern.compile("/payload/results/0/found"), Response.FOUND),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/taxCode"), Response.REGISTERED_TAX_CODE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/registeredName"), Response.REGISTERED_NAME),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/status"), Response.REGISTRATION_STATUS),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/registeredOn"), Response.REGISTERED_ON),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/taxOffice"), Response.TAX_OFFICE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/address/commune"), Response.ADDRESS_COMMUNE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/address/province(/.*)?"),
                    Response.ADDRESS_PROVINCE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration/address(/line)?"), Response.ADDRESS_LINE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/taxRegistration"), Response.REGISTRATION_STATUS),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/symbol"), Response.INVOICE_SYMBOL),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/number"), Response.INVOICE_NUMBER),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/issuedOn"), Response.INVOICE_ISSUED_ON),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/sellerTaxCode"), Response.INVOICE_SELLER_TAX_CODE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/buyerTaxCode"), Response.INVOICE_BUYER_TAX_CODE),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/goods"), Response.INVOICE_GOODS),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/totalVnd"), Response.INVOICE_TOTAL_VND),
            java.util.Map.entry(Pattern.compile("/payload/results/0/eInvoices/0/valid"), Response.INVOICE_VALID),
            java.util.Map.entry(Pattern.compile("/payload/results/0/note"), Response.NOTE));

    /**
     * For a row of an info.response batch, its line and the column that carries the member
     * ({@code line 7, column 12 (subject_cccd)}), or the line alone where no column does (the
     * sender is the channel's agency); a canonical JSON file keeps the pointer.
     */
    @Override
    public String nativeLocation(Decoded.Canonical item, String canonicalPointer) {
        if (!item.location().startsWith("line ")) {
            return canonicalPointer;
        }
        for (java.util.Map.Entry<Pattern, Response> e : COLUMN_OF) {
            if (e.getKey().matcher(canonicalPointer).matches()) {
                return item.location() + ", column " + (e.getValue().ordinal() + 1) + " (" + e.getValue().header() + ")";
            }
        }
        return item.location();
    }

    @Override
    public void decode(InputStream in, String sourceName, DecodedSink sink) throws DecodeException, IOException {
        BufferedInputStream input = new BufferedInputStream(in, 1 << 16);
        if (startsWithJson(input)) {
            // The types without a CSV profile (freeze.request, report.periodic, ...) come as canonical JSON.
            sink.accept(new Decoded.Canonical(input.readNBytes(JSON_READ_LIMIT), ""));
            return;
        }
        try {
            decodeCsv(input, sink);
        } catch (CsvReader.FormatException e) {
            throw new DecodeException("", "line " + e.line() + ": " + e.getMessage());
        }
    }

    private void decodeCsv(InputStream input, DecodedSink sink) throws IOException, CsvReader.FormatException {
        CsvReader reader = new CsvReader(input, MAX_RECORD_BYTES, MAX_COLUMNS);
        reader.skipByteOrderMark();
        CsvReader.Row header = reader.next();
        if (header == null) {
            throw new CsvReader.FormatException(1, "the file is empty; a tax-csv file starts with its header row");
        }
        checkHeader(header);
        MessageDigest digest = CsvWriter.sha256();
        reader.hashWith(digest);
        ResponseRows rows = new ResponseRows(SENDER);
        String batchId = null;
        long count = 0;
        CsvReader.Row trailer;
        while (true) {
            int next = reader.peek();
            if (next < 0) {
                throw new CsvReader.FormatException(reader.line(), "no trailer row: the file ends after "
                        + count + " data rows (incomplete transfer?)");
            }
            if (next == '#') {
                reader.hashWith(null);
                trailer = reader.next();
                break;
            }
            CsvReader.Row row = reader.next();
            count++;
            if (row.size() != Response.HEADER.size()) {
                throw new CsvReader.FormatException(row.line(), row.size() + " columns, " + Response.HEADER.size()
                        + " expected" + (row.size() == 1 && row.get(0).isEmpty() ? " (an empty line?)" : ""));
            }
            EnumMap<Response, String> values = ResponseRows.values(row);
            String rowBatch = values.get(Response.BATCH_ID);
            if (batchId == null) {
                if (!BATCH_ID.matcher(rowBatch).matches()) {
                    throw new CsvReader.FormatException(row.line(),
                            "batch_id must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
                }
                batchId = rowBatch;
            } else if (!batchId.equals(rowBatch)) {
                throw new CsvReader.FormatException(row.line(),
                        "batch_id differs from the first row's: one file is one batch");
            }
            String location = "line " + row.line();
            try {
                sink.accept(new Decoded.Canonical(rows.message(values, messageIdOf(batchId, count)), location));
            } catch (ResponseRows.RowException e) {
                sink.accept(new Decoded.Failure(location, e.getMessage()));
            }
        }
        checkTrailer(trailer, count, HexFormat.of().formatHex(digest.digest()));
        // Empty lines after the trailer are an editor's or a transfer's habit, not content.
        for (CsvReader.Row after = reader.next(); after != null; after = reader.next()) {
            if (after.size() != 1 || !after.get(0).isEmpty()) {
                throw new CsvReader.FormatException(after.line(), "content after the trailer row");
            }
        }
    }

    private static void checkHeader(CsvReader.Row header) throws CsvReader.FormatException {
        List<String> expected = Response.HEADER;
        List<String> got = List.of(header.fields());
        if (got.equals(expected)) {
            return;
        }
        if (got.equals(Columns.REQUEST)) {
            throw new CsvReader.FormatException(1, "this is an info.request file (lienthong writes those to the"
                    + " tax authority); the tax authority sends info.response files");
        }
        for (int i = 0; i < Math.min(got.size(), expected.size()); i++) {
            if (!got.get(i).equals(expected.get(i))) {
                throw new CsvReader.FormatException(1, "header column " + (i + 1) + " must be " + expected.get(i)
                        + " (the columns and their order are fixed: " + String.join(",", expected) + ")");
            }
        }
        throw new CsvReader.FormatException(1, "the header has " + got.size() + " columns, " + expected.size()
                + " expected: " + String.join(",", expected));
    }

    private static void checkTrailer(CsvReader.Row trailer, long count, String sha256)
            throws CsvReader.FormatException {
        long line = trailer.line();
        if (trailer.size() != 3 || !trailer.get(0).equals("#TRAILER")) {
            throw new CsvReader.FormatException(line, "the trailer must be #TRAILER,<row count>,<SHA-256 hex>");
        }
        if (!COUNT.matcher(trailer.get(1)).matches()) {
            throw new CsvReader.FormatException(line, "the trailer's row count is not a number");
        }
        if (Long.parseLong(trailer.get(1)) != count) {
            throw new CsvReader.FormatException(line, "the trailer says " + trailer.get(1) + " data rows, the file has "
                    + count + " (rows lost or added?)");
        }
        if (!SHA256.matcher(trailer.get(2)).matches()) {
            throw new CsvReader.FormatException(line, "the trailer's hash is not 64 hexadecimal digits");
        }
        if (!trailer.get(2).toLowerCase(Locale.ROOT).equals(sha256)) {
            throw new CsvReader.FormatException(line, "the trailer's SHA-256 does not match the data rows (the file"
                    + " was altered, or rows were written after the hash was computed)");
        }
    }

    /** Whether the input is a canonical JSON message: '{' first, after a byte-order mark and white space. */
    private static boolean startsWithJson(BufferedInputStream in) throws IOException {
        in.mark(1024);
        byte[] head = in.readNBytes(1024);
        in.reset();
        int i = StrictInput.bomLength(head);
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        return i < head.length && head[i] == '{';
    }

    /**
     * An info.request becomes a request file (one row per subject or listing); every other type is
     * written as its canonical JSON, the one format every agency reads.
     */
    @Override
    public byte[] encode(Envelope message, byte[] canonicalJson) {
        if (!(message.payload() instanceof InfoRequest request)) {
            return canonicalJson;
        }
        String id = message.messageId().toString();
        List<String> common = List.of(id, id, message.sender(), orEmpty(message.correlationId()),
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(message.createdAt()),
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(message.deadline()),
                message.effectivePriority().name().toLowerCase(Locale.ROOT), message.legalBasis(),
                orEmpty(request.caseRef()), request.purpose(), orEmpty(request.questions()),
                String.join(";", request.asks().stream().map(InfoAsk::name).toList()),
                request.period() == null ? "" : request.period().from().toString(),
                request.period() == null ? "" : request.period().to().toString());
        CsvWriter csv = new CsvWriter(Columns.REQUEST).strict();
        int item = 0;
        for (Subject s : request.subjects() == null ? List.<Subject>of() : request.subjects()) {
            List<String> row = new ArrayList<>(common);
            row.add(Integer.toString(++item));
            if (s instanceof Person p) {
                row.addAll(List.of("person", p.fullName(), orEmpty(p.taxCode()), orEmpty(p.cccd()), orEmpty(p.passport())));
            } else if (s instanceof Organization o) {
                row.addAll(List.of("organization", o.name(), orEmpty(o.taxCode()), "", ""));
            }
            row.addAll(List.of("", "", "", ""));
            csv.row(row);
        }
        for (Listing l : request.listings() == null ? List.<Listing>of() : request.listings()) {
            List<String> row = new ArrayList<>(common);
            row.add(Integer.toString(++item));
            row.addAll(List.of("", "", "", "", ""));
            row.addAll(List.of(l.url(), orEmpty(l.title()), l.shop() == null ? "" : l.shop().name(),
                    l.shop() == null ? "" : orEmpty(l.shop().url())));
            csv.row(row);
        }
        return csv.finish();
    }

    @Override
    public String fileName(Envelope message) {
        return message.type().wireName() + "-" + message.messageId()
                + (message.type() == MessageType.INFO_REQUEST ? ".csv" : ".json");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
