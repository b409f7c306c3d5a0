package vn.lienthong.schemas.ids;

/** The three shapes a valid Vietnamese tax code (MST) takes. */
public enum TaxCodeKind {
    /** 10 digits with a check digit: enterprises and organisations (and individuals registered before July 2025). */
    ENTERPRISE,
    /** A 10-digit code plus a branch number 001–999, normalized as {@code NNNNNNNNNN-BBB}. */
    BRANCH,
    /** A 12-digit personal ID number used as tax code since 1 July 2025 (Circular 86/2024/TT-BTC). */
    PERSONAL
}
