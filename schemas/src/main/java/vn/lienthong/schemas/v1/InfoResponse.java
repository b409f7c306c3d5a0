package vn.lienthong.schemas.v1;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/** The answer to an info.request: one result per subject and ask. */
public record InfoResponse(UUID request, Status status, String reason, List<Result> results) implements Payload {

    public InfoResponse {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(status, "status");
        results = List.copyOf(Objects.requireNonNull(results, "results"));
    }

    @Override
    public MessageType messageType() {
        return MessageType.INFO_RESPONSE;
    }

    /** How complete the answer is. */
    public enum Status { COMPLETE, PARTIAL, NO_DATA, REFUSED }

    /** The registration status of a tax code. */
    public enum TaxStatus { ACTIVE, SUSPENDED, CEASED, NOT_AT_ADDRESS, CLOSED }

    /** What was found for one subject and one ask. */
    public record Result(
            InfoAsk ask,
            Subject subject,
            Boolean found,
            TaxRegistration taxRegistration,
            List<EInvoice> eInvoices,
            List<CustomsDeclaration> customsDeclarations,
            Subject sellerIdentity,
            List<AccountActivity> accounts,
            String note) {
        public Result {
            Objects.requireNonNull(ask, "ask");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(found, "found");
            eInvoices = eInvoices == null ? null : List.copyOf(eInvoices);
            customsDeclarations = customsDeclarations == null ? null : List.copyOf(customsDeclarations);
            accounts = accounts == null ? null : List.copyOf(accounts);
        }
    }

    /** A tax registration as the tax authority holds it. */
    public record TaxRegistration(String taxCode, String registeredName, TaxStatus status, LocalDate registeredOn,
            String taxOffice, Address address) {
        public TaxRegistration {
            Objects.requireNonNull(taxCode, "taxCode");
            Objects.requireNonNull(status, "status");
        }
    }

    /** An e-invoice and whether the tax authority holds it as valid. */
    public record EInvoice(String symbol, String number, LocalDate issuedOn, String sellerTaxCode, String buyerTaxCode,
            String goods, Long totalVnd, Boolean valid) {
        public EInvoice {
            Objects.requireNonNull(symbol, "symbol");
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(issuedOn, "issuedOn");
            Objects.requireNonNull(sellerTaxCode, "sellerTaxCode");
            Objects.requireNonNull(totalVnd, "totalVnd");
            Objects.requireNonNull(valid, "valid");
        }
    }

    /** A customs declaration. */
    public record CustomsDeclaration(String number, LocalDate registeredOn, String office, String hsCode, String goods,
            String originCountry, Long valueVnd) {
        public CustomsDeclaration {
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(registeredOn, "registeredOn");
            Objects.requireNonNull(office, "office");
        }
    }

    /** Totals moved through one account in the period asked. */
    public record AccountActivity(String bankBin, String number, Long inflowVnd, Long outflowVnd) {
        public AccountActivity {
            Objects.requireNonNull(bankBin, "bankBin");
            Objects.requireNonNull(number, "number");
        }

        /** Never prints the account number in clear. */
        @Override
        public String toString() {
            return "AccountActivity[bankBin=" + bankBin + ", number redacted]";
        }
    }
}
