package vn.lienthong.schemas.v1;

import java.util.List;
import java.util.Objects;
import vn.lienthong.schemas.MessageType;

/** A request for information on subjects or listings; legal basis and deadline are in the envelope. */
public record InfoRequest(
        List<InfoAsk> asks,
        List<Subject> subjects,
        List<Listing> listings,
        Period period,
        String caseRef,
        String purpose,
        String questions) implements Payload {

    public InfoRequest {
        asks = List.copyOf(Objects.requireNonNull(asks, "asks"));
        subjects = subjects == null ? null : List.copyOf(subjects);
        listings = listings == null ? null : List.copyOf(listings);
        if (subjects == null && listings == null) {
            throw new IllegalArgumentException("an info.request names subjects or listings");
        }
        Objects.requireNonNull(purpose, "purpose");
    }

    @Override
    public MessageType messageType() {
        return MessageType.INFO_REQUEST;
    }
}
