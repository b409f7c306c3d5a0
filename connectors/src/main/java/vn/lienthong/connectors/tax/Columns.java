package vn.lienthong.connectors.tax;

import java.util.List;

/**
 * The column specs of the tax-csv profile, in their fixed order (documented in
 * {@code formats/tax-csv/README.md}; a change here is a new profile version).
 */
final class Columns {

    private Columns() {
    }

    /** Columns of an info.response batch file, from the tax authority. */
    enum Response {
        BATCH_ID("batch_id", false),
        REQUEST_MESSAGE_ID("request_message_id", false),
        REQUESTER("requester", false),
        CORRELATION_ID("correlation_id", true),
        CREATED_AT("created_at", false),
        STATUS("status", false),
        REASON("reason", true),
        ASK("ask", false),
        SUBJECT_KIND("subject_kind", false),
        SUBJECT_NAME("subject_name", true),
        SUBJECT_TAX_CODE("subject_tax_code", false),
        SUBJECT_CCCD("subject_cccd", false),
        FOUND("found", false),
        REGISTERED_TAX_CODE("registered_tax_code", false),
        REGISTERED_NAME("registered_name", true),
        REGISTRATION_STATUS("registration_status", false),
        REGISTERED_ON("registered_on", false),
        TAX_OFFICE("tax_office", true),
        ADDRESS_LINE("address_line", true),
        ADDRESS_COMMUNE("address_commune", true),
        ADDRESS_PROVINCE("address_province", false),
        INVOICE_SYMBOL("invoice_symbol", false),
        INVOICE_NUMBER("invoice_number", false),
        INVOICE_ISSUED_ON("invoice_issued_on", false),
        INVOICE_SELLER_TAX_CODE("invoice_seller_tax_code", false),
        INVOICE_BUYER_TAX_CODE("invoice_buyer_tax_code", false),
        INVOICE_GOODS("invoice_goods", true),
        INVOICE_TOTAL_VND("invoice_total_vnd", false),
        INVOICE_VALID("invoice_valid", false),
        NOTE("note", true);

        private final String header;
        private final boolean text;

        Response(String header, boolean text) {
            this.header = header;
            this.text = text;
        }

        /** The column's name in the header row. */
        String header() {
            return header;
        }

        /**
         * Free text: kept as written (no trimming), with the CSV-injection apostrophe removed;
         * other columns hold codes, identifiers, dates or numbers and are trimmed.
         */
        boolean text() {
            return text;
        }

        static final List<String> HEADER = java.util.Arrays.stream(values()).map(Response::header).toList();
    }

    /** The header of an info.request file, to the tax authority. */
    static final List<String> REQUEST = List.of(
            "batch_id", "request_message_id", "requester", "correlation_id", "created_at", "deadline", "priority",
            "legal_basis", "case_ref", "purpose", "questions", "asks", "period_from", "period_to",
            "item", "subject_kind", "subject_name", "subject_tax_code", "subject_cccd", "subject_passport",
            "listing_url", "listing_title", "shop_name", "shop_url");

    /** The header of a result file, written beside an input file. */
    static final List<String> RESULT = List.of("row", "message_id", "status", "error_codes", "errors", "receipt_id");
}
