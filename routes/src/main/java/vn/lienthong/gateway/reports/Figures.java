package vn.lienthong.gateway.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The six figures of a periodic report, added up ({@code listingsRemoved} counts 0 where a report leaves it out). */
public record Figures(long casesDetected, long casesHandled, long casesTransferredToPolice, long finesVnd,
        long goodsValueVnd, long listingsRemoved) {

    /** Nothing reported. */
    public static final Figures ZERO = new Figures(0, 0, 0, 0, 0, 0);

    /** The names, in column order. */
    public static final String[] NAMES = {"casesDetected", "casesHandled", "casesTransferredToPolice", "finesVnd",
        "goodsValueVnd", "listingsRemoved"};

    /** The figures of a validated report's {@code figures} object. */
    static Figures of(JsonNode n) {
        return new Figures(n.path("casesDetected").asLong(), n.path("casesHandled").asLong(),
                n.path("casesTransferredToPolice").asLong(), n.path("finesVnd").asLong(),
                n.path("goodsValueVnd").asLong(), n.path("listingsRemoved").asLong());
    }

    /** This plus {@code o}. */
    public Figures plus(Figures o) {
        return new Figures(casesDetected + o.casesDetected, casesHandled + o.casesHandled,
                casesTransferredToPolice + o.casesTransferredToPolice, finesVnd + o.finesVnd,
                goodsValueVnd + o.goodsValueVnd, listingsRemoved + o.listingsRemoved);
    }

    /** The values, in {@link #NAMES} order. */
    public long[] values() {
        return new long[] {casesDetected, casesHandled, casesTransferredToPolice, finesVnd, goodsValueVnd,
            listingsRemoved};
    }

    /** The change from {@code previous} to this, figure by figure: difference and percent (null from 0). */
    public Map<String, Change> changeFrom(Figures previous) {
        Map<String, Change> change = new LinkedHashMap<>();
        long[] now = values();
        long[] before = previous.values();
        for (int i = 0; i < NAMES.length; i++) {
            long diff = now[i] - before[i];
            Double percent = before[i] == 0 ? null : Math.round(diff * 1000.0 / before[i]) / 10.0;
            change.put(NAMES[i], new Change(diff, percent));
        }
        return change;
    }

    /** A figure's change: the difference, and the percent of the previous value (null when that was 0). */
    public record Change(long difference, Double percent) {
    }
}
