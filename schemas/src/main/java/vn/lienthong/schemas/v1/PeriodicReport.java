package vn.lienthong.schemas.v1;

import java.util.List;
import java.util.Objects;
import vn.lienthong.schemas.MessageType;

/**
 * Periodic figures of a province or agency for the BCĐ 389 standing office: a month unless
 * {@code periodKind} says a quarter, six months, a year or an ad-hoc report.
 */
public record PeriodicReport(Period period, PeriodKind periodKind, Province province, Figures totals,
        List<CategoryFigures> byCategory, List<GoodsFigures> byGoods, String notes) implements Payload {

    public PeriodicReport {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(totals, "totals");
        byCategory = byCategory == null ? null : List.copyOf(byCategory);
        byGoods = byGoods == null ? null : List.copyOf(byGoods);
    }

    /** The kind of period: {@code periodKind}, or a month where the report leaves it out (as reports before it did). */
    public PeriodKind kind() {
        return periodKind == null ? PeriodKind.MONTH : periodKind;
    }

    @Override
    public MessageType messageType() {
        return MessageType.REPORT_PERIODIC;
    }

    /** The figures of one period. */
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

    /** The figures of one kind of priority goods. */
    public record GoodsFigures(GoodsCategory goods, Figures figures) {
        public GoodsFigures {
            Objects.requireNonNull(goods, "goods");
            Objects.requireNonNull(figures, "figures");
        }
    }
}
