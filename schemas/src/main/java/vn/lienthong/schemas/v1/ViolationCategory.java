package vn.lienthong.schemas.v1;

/** Kinds of violation (Decree 98/2020 art. 3 as amended by Decree 24/2025; Decree 99/2013 for IP). */
public enum ViolationCategory {
    COUNTERFEIT, SMUGGLED, PROHIBITED, UNKNOWN_ORIGIN, IP_INFRINGING, SUBSTANDARD, CONSUMER_RIGHTS,
    DIGITAL_PLATFORM, TAX_EVASION
}
