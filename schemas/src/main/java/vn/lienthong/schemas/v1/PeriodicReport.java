package vn.lienthong.schemas.v1;

import java.util.List;
import java.util.Objects;
import vn.lienthong.schemas.MessageType;

/** Monthly figures of a province or agency for the BCĐ 389 standing office. */
public record PeriodicReport(Period period, Province province, Figures totals, List<CategoryFigures> byCategory,
        String notes) implements Payload {

    public PeriodicReport {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(totals, "totals");
        byCategory = byCategory == null ? null : List.copyOf(byCategory);
    }

    @Override
    public MessageType messageType() {
        return MessageType.REPORT_PERIODIC;
    }

    /** The figures of one month. */
    public record Figures(Long casesDetected, Long casesHandled, Long casesTransferredToPolice, Long finesVnd,
            Long goodsValueVnd, Long listingsRemoved) {
        public Figures {
            Objects.requireNonNull(casesDetected, "casesDetected");
            Objects.requireNonNull(casesHandled, "casesHandled");
            Objects.requireNonNull(casesTransferredToPolice, "casesTransferredToPolice");
            Objects.requireNonNull(finesVnd, "finesVnd");
            Objects.requireNonNull(goodsValueVnd, "goodsValueVnd");
        }
    }

    /** The figures of one violation category. */
    public record CategoryFigures(ViolationCategory category, Figures figures) {
        public CategoryFigures {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(figures, "figures");
        }
    }
}
