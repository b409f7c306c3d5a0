package vn.lienthong.schemas.v1;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import vn.lienthong.schemas.MessageType;

/** A violation detected in trade or e-commerce, notified to the agencies that must act on it. */
public record ViolationNotice(
        String caseRef,
        OffsetDateTime detectedAt,
        List<ViolationCategory> categories,
        List<Subject> subjects,
        Platform platform,
        Shop shop,
        List<Listing> listings,
        List<Goods> goods,
        Province province,
        DocumentRef record,
        String description,
        List<String> measures,
        List<Evidence> evidence) implements Payload {

    public ViolationNotice {
        Objects.requireNonNull(caseRef, "caseRef");
        Objects.requireNonNull(detectedAt, "detectedAt");
        categories = List.copyOf(Objects.requireNonNull(categories, "categories"));
        subjects = List.copyOf(Objects.requireNonNull(subjects, "subjects"));
        listings = listings == null ? null : List.copyOf(listings);
        goods = goods == null ? null : List.copyOf(goods);
        Objects.requireNonNull(province, "province");
        Objects.requireNonNull(description, "description");
        measures = measures == null ? null : List.copyOf(measures);
        evidence = evidence == null ? null : List.copyOf(evidence);
    }

    @Override
    public MessageType messageType() {
        return MessageType.VIOLATION_NOTICE;
    }

    /** Goods involved. */
    public record Goods(String description, GoodsCategory category, String brand, BigDecimal quantity, String unit,
            Long estimatedValueVnd) {
        public Goods {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(category, "category");
        }
    }

    /** A piece of evidence, possibly an envelope attachment by name. */
    public record Evidence(String description, String attachment, OffsetDateTime capturedAt) {
        public Evidence {
            Objects.requireNonNull(description, "description");
        }
    }
}
