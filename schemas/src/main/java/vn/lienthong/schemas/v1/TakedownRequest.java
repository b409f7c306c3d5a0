package vn.lienthong.schemas.v1;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/** A request to a platform to remove listings (within 24 hours) and hand over seller data. */
public record TakedownRequest(
        Platform platform,
        List<Listing> listings,
        List<ViolationCategory> categories,
        String reason,
        Boolean sellerDataRequested,
        UUID relatedNotice) implements Payload {

    public TakedownRequest {
        Objects.requireNonNull(platform, "platform");
        listings = List.copyOf(Objects.requireNonNull(listings, "listings"));
        categories = List.copyOf(Objects.requireNonNull(categories, "categories"));
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public MessageType messageType() {
        return MessageType.TAKEDOWN_REQUEST;
    }
}
