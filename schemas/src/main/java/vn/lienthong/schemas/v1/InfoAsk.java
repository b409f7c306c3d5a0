package vn.lienthong.schemas.v1;

/** What an info.request asks for. */
public enum InfoAsk {
    SELLER_IDENTITY, TAX_REGISTRATION, E_INVOICES, CUSTOMS_DECLARATIONS, ACCOUNT_TRANSACTIONS,
    PLATFORM_SELLER_DATA
}
