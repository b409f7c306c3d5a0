package vn.lienthong.connectors.tax;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import vn.lienthong.connectors.tax.Columns.Response;
import vn.lienthong.schemas.v1.InfoAsk;
import vn.lienthong.schemas.v1.InfoResponse;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Turns one data row of an info.response batch into one canonical info.response. It converts and
 * checks what the CSV form decides (types, required columns, code lists), naming the column; what
 * the canonical schema decides (tax code check digits, provinces, lengths, dates in the future) is
 * left to the validator, which names the JSON pointer. Messages never repeat a personal value.
 */
final class ResponseRows {

    /** A row that cannot become a message; the message names the column. */
    static final class RowException extends Exception {
        private static final long serialVersionUID = 1L;

        RowException(Response column, String message) {
            super("column " + column.header() + ": " + message);
        }

        RowException(String message) {
            super(message);
        }
    }

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE_TIME =
            Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern CODE_LIKE = Pattern.compile("[A-Za-z_]{1,30}");
    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,16}");
    private static final List<String> STATUSES = names(InfoResponse.Status.values());
    private static final List<String> TAX_STATUSES = names(InfoResponse.TaxStatus.values());
    private static final List<String> ASKS = names(InfoAsk.values());
    private static final List<String> KINDS = List.of("person", "organization");
    private static final Set<Response> REGISTRATION = Set.of(Response.REGISTERED_TAX_CODE, Response.REGISTERED_NAME,
            Response.REGISTRATION_STATUS, Response.REGISTERED_ON, Response.TAX_OFFICE, Response.ADDRESS_LINE,
            Response.ADDRESS_COMMUNE, Response.ADDRESS_PROVINCE);
    private static final Set<Response> ADDRESS = Set.of(Response.ADDRESS_LINE, Response.ADDRESS_COMMUNE,
            Response.ADDRESS_PROVINCE);
    private static final Set<Response> INVOICE = Set.of(Response.INVOICE_SYMBOL, Response.INVOICE_NUMBER,
            Response.INVOICE_ISSUED_ON, Response.INVOICE_SELLER_TAX_CODE, Response.INVOICE_BUYER_TAX_CODE,
            Response.INVOICE_GOODS, Response.INVOICE_TOTAL_VND, Response.INVOICE_VALID);
    private static final Set<Response> RESULT = Set.of(Response.ASK, Response.SUBJECT_KIND, Response.SUBJECT_NAME,
            Response.SUBJECT_TAX_CODE, Response.SUBJECT_CCCD, Response.FOUND, Response.NOTE);

    private final JsonFactory json = CanonicalJson.mapper().getFactory();
    private final String sender;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2048);

    // The rows of a batch mostly share these: checked once, not a million times.
    private String lastRequestText;
    private UUID lastRequest;
    private String lastCreatedAt;

    ResponseRows(String sender) {
        this.sender = sender;
    }

    /** The field values of a row, by column: "" for empty; text columns un-neutralized, others trimmed. */
    static EnumMap<Response, String> values(CsvReader.Row row) {
        EnumMap<Response, String> v = new EnumMap<>(Response.class);
        for (Response c : Response.values()) {
            String raw = row.get(c.ordinal());
            v.put(c, c.text() ? Neutralizer.restore(raw) : raw.strip());
        }
        return v;
    }

    /** The canonical info.response of one row. */
    byte[] message(EnumMap<Response, String> v, UUID messageId) throws RowException {
        String requestText = v.get(Response.REQUEST_MESSAGE_ID);
        if (!requestText.equals(lastRequestText)) {
            lastRequest = uuid(v, Response.REQUEST_MESSAGE_ID);
            lastRequestText = requestText;
        }
        UUID request = lastRequest;
        String requester = required(v, Response.REQUESTER);
        String createdAt = v.get(Response.CREATED_AT);
        if (!createdAt.equals(lastCreatedAt)) {
            lastCreatedAt = dateTime(v, Response.CREATED_AT);
        }
        String status = code(v, Response.STATUS, STATUSES);
        buffer.reset();
        try (JsonGenerator g = json.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("messageId", messageId.toString());
            g.writeStringField("type", "info.response");
            g.writeStringField("schemaVersion", "1.0");
            g.writeStringField("sender", sender);
            g.writeArrayFieldStart("recipients");
            g.writeString(requester);
            g.writeEndArray();
            optional(g, "correlationId", v.get(Response.CORRELATION_ID));
            g.writeStringField("inReplyTo", request.toString());
            g.writeStringField("createdAt", createdAt);
            // Tax records are confidential (Law on Tax Administration 2019, art. 99) and name persons.
            g.writeStringField("classification", "restricted");
            g.writeObjectFieldStart("payload");
            g.writeStringField("request", request.toString());
            g.writeStringField("status", status);
            optional(g, "reason", v.get(Response.REASON));
            g.writeArrayFieldStart("results");
            if (any(v, RESULT) || any(v, REGISTRATION) || any(v, INVOICE)) {
                result(g, v);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private void result(JsonGenerator g, EnumMap<Response, String> v) throws IOException, RowException {
        String ask = code(v, Response.ASK, ASKS);
        String kind = code(v, Response.SUBJECT_KIND, KINDS);
        String name = required(v, Response.SUBJECT_NAME);
        boolean found = bool(v, Response.FOUND);
        String taxCode = v.get(Response.SUBJECT_TAX_CODE);
        String cccd = v.get(Response.SUBJECT_CCCD);
        if (kind.equals("person") && taxCode.isEmpty() && cccd.isEmpty()) {
            throw new RowException(Response.SUBJECT_CCCD, "a person needs subject_cccd or subject_tax_code");
        }
        if (kind.equals("organization") && !cccd.isEmpty()) {
            throw new RowException(Response.SUBJECT_CCCD, "an organization has no CCCD");
        }
        boolean registration = any(v, REGISTRATION);
        boolean invoice = any(v, INVOICE);
        if (!found && (registration || invoice)) {
            throw new RowException(Response.FOUND, "false, but registration or invoice columns are filled");
        }
        g.writeStartObject();
        g.writeStringField("ask", ask);
        g.writeObjectFieldStart("subject");
        g.writeStringField("kind", kind);
        g.writeStringField(kind.equals("person") ? "fullName" : "name", name);
        optional(g, "cccd", cccd);
        optional(g, "taxCode", taxCode);
        g.writeEndObject();
        g.writeBooleanField("found", found);
        if (registration) {
            registration(g, v, taxCode);
        }
        if (invoice) {
            invoice(g, v);
        }
        optional(g, "note", v.get(Response.NOTE));
        g.writeEndObject();
    }

    private void registration(JsonGenerator g, EnumMap<Response, String> v, String subjectTaxCode)
            throws IOException, RowException {
        String taxCode = v.get(Response.REGISTERED_TAX_CODE).isEmpty() ? subjectTaxCode
                : v.get(Response.REGISTERED_TAX_CODE);
        if (taxCode.isEmpty()) {
            throw new RowException(Response.REGISTERED_TAX_CODE,
                    "required with registration data (or subject_tax_code)");
        }
        String status = code(v, Response.REGISTRATION_STATUS, TAX_STATUSES);
        g.writeObjectFieldStart("taxRegistration");
        g.writeStringField("taxCode", taxCode);
        optional(g, "registeredName", v.get(Response.REGISTERED_NAME));
        g.writeStringField("status", status);
        if (!v.get(Response.REGISTERED_ON).isEmpty()) {
            g.writeStringField("registeredOn", date(v, Response.REGISTERED_ON));
        }
        optional(g, "taxOffice", v.get(Response.TAX_OFFICE));
        if (any(v, ADDRESS)) {
            g.writeObjectFieldStart("address");
            g.writeStringField("line", required(v, Response.ADDRESS_LINE));
            optional(g, "commune", v.get(Response.ADDRESS_COMMUNE));
            if (!v.get(Response.ADDRESS_PROVINCE).isEmpty()) {
                g.writeObjectFieldStart("province");
                g.writeStringField("code", v.get(Response.ADDRESS_PROVINCE));
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void invoice(JsonGenerator g, EnumMap<Response, String> v) throws IOException, RowException {
        String symbol = required(v, Response.INVOICE_SYMBOL);
        String number = required(v, Response.INVOICE_NUMBER);
        String issuedOn = date(v, Response.INVOICE_ISSUED_ON);
        String seller = required(v, Response.INVOICE_SELLER_TAX_CODE);
        long total = whole(v, Response.INVOICE_TOTAL_VND);
        boolean valid = bool(v, Response.INVOICE_VALID);
        g.writeArrayFieldStart("eInvoices");
        g.writeStartObject();
        g.writeStringField("symbol", symbol);
        g.writeStringField("number", number);
        g.writeStringField("issuedOn", issuedOn);
        g.writeStringField("sellerTaxCode", seller);
        optional(g, "buyerTaxCode", v.get(Response.INVOICE_BUYER_TAX_CODE));
        optional(g, "goods", v.get(Response.INVOICE_GOODS));
        g.writeNumberField("totalVnd", total);
        g.writeBooleanField("valid", valid);
        g.writeEndObject();
        g.writeEndArray();
    }

    private static boolean any(EnumMap<Response, String> v, Set<Response> columns) {
        for (Response c : columns) {
            if (!v.get(c).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static void optional(JsonGenerator g, String member, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(member, value);
        }
    }

    private static String required(EnumMap<Response, String> v, Response c) throws RowException {
        String s = v.get(c);
        if (s.isEmpty()) {
            throw new RowException(c, "required");
        }
        return s;
    }

    private static UUID uuid(EnumMap<Response, String> v, Response c) throws RowException {
        String s = required(v, c);
        if (!UUID_FORM.matcher(s).matches()) {
            throw new RowException(c, "not a UUID (8-4-4-4-12 hexadecimal digits)");
        }
        return UUID.fromString(s);
    }

    private static String dateTime(EnumMap<Response, String> v, Response c) throws RowException {
        String s = required(v, c);
        try {
            if (DATE_TIME.matcher(s).matches()) {
                OffsetDateTime.parse(s);
                return s;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new RowException(c, "not an RFC 3339 date-time with offset, e.g. 2026-11-20T08:30:00+07:00");
    }

    private static String date(EnumMap<Response, String> v, Response c) throws RowException {
        String s = required(v, c);
        try {
            if (DATE.matcher(s).matches()) {
                LocalDate.parse(s);
                return s;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new RowException(c, "not a date YYYY-MM-DD (e.g. 2026-11-20)");
    }

    private static long whole(EnumMap<Response, String> v, Response c) throws RowException {
        String s = required(v, c);
        if (!WHOLE.matcher(s).matches()) {
            throw new RowException(c, "not a whole number of VND (digits only, no separators)");
        }
        return Long.parseLong(s);
    }

    private static boolean bool(EnumMap<Response, String> v, Response c) throws RowException {
        String s = required(v, c).toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return s.equals("true");
        }
        throw new RowException(c, shown(v.get(c)) + " is not true or false");
    }

    /** A value of a code list; code values are not personal, so the wrong one is shown. */
    private static String code(EnumMap<Response, String> v, Response c, List<String> allowed) throws RowException {
        String s = required(v, c);
        if (!allowed.contains(s)) {
            throw new RowException(c, shown(s) + " is not one of " + String.join(", ", allowed));
        }
        return s;
    }

    /**
     * A wrong code for an error message: shown only when it looks like a code (one word of Latin
     * letters), so that a personal value shifted into the column is never echoed.
     */
    private static String shown(String s) {
        return CODE_LIKE.matcher(s).matches() ? "'" + s + "'" : "the value";
    }

    private static List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }
}
