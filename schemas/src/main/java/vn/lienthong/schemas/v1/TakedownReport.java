package vn.lienthong.schemas.v1;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/** A platform's report on a takedown.request, listing by listing. */
public record TakedownReport(UUID request, List<Result> results, List<Subject> sellers) implements Payload {

    public TakedownReport {
        Objects.requireNonNull(request, "request");
        results = List.copyOf(Objects.requireNonNull(results, "results"));
        sellers = sellers == null ? null : List.copyOf(sellers);
    }

    @Override
    public MessageType messageType() {
        return MessageType.TAKEDOWN_REPORT;
    }

    /** What happened to a listing. */
    public enum Status { REMOVED, ALREADY_REMOVED, NOT_FOUND, REFUSED, PENDING }

    /** The outcome for one listing. */
    public record Result(String url, Status status, OffsetDateTime removedAt, String note) {
        public Result {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(status, "status");
            if (status == Status.REMOVED) {
                Objects.requireNonNull(removedAt, "removedAt");
            }
            if (status == Status.REFUSED) {
                Objects.requireNonNull(note, "note (why refused)");
            }
        }
    }
}
