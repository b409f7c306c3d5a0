package vn.lienthong.schemas.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Urgent messages go out at once (Decision 28/2018), ahead of normal traffic. */
public enum Priority {
    @JsonProperty("normal") NORMAL,
    @JsonProperty("urgent") URGENT
}
