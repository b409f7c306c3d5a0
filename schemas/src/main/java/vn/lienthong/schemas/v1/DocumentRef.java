package vn.lienthong.schemas.v1;

import java.time.LocalDate;
import java.util.Objects;

/** A signed document: number (e.g. 123/BB-VPHC), date, issuer and signer. */
public record DocumentRef(String number, LocalDate date, Issuer issuer, Signer signer) {
    public DocumentRef {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(issuer, "issuer");
    }
}
