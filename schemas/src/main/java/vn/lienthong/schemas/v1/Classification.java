package vn.lienthong.schemas.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How confidential a message is; state-secret levels never cross the gateway. */
public enum Classification {
    @JsonProperty("public") PUBLIC,
    @JsonProperty("internal") INTERNAL,
    /** Personal data (Decree 13/2023): need-to-know, never logged in clear. */
    @JsonProperty("restricted") RESTRICTED
}
