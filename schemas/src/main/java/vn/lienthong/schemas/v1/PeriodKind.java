package vn.lienthong.schemas.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What span a periodic report covers: the plans ask for monthly, quarterly, six-monthly, yearly and ad-hoc reports. */
public enum PeriodKind {
    @JsonProperty("month") MONTH,
    @JsonProperty("quarter") QUARTER,
    @JsonProperty("half-year") HALF_YEAR,
    @JsonProperty("year") YEAR,
    @JsonProperty("ad-hoc") AD_HOC;

    /** The name on the wire ({@code half-year}, ...). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code wire}, if any. */
    public static java.util.Optional<PeriodKind> ofWire(String wire) {
        for (PeriodKind k : values()) {
            if (k.wireName().equals(wire)) {
                return java.util.Optional.of(k);
            }
        }
        return java.util.Optional.empty();
    }
}
