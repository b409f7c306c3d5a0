package vn.lienthong.schemas.v1;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/** The State Bank's report on the execution of a freeze.request. */
public record FreezeReport(
        UUID request,
        Status status,
        Long frozenAmountVnd,
        String bankReference,
        OffsetDateTime executedAt,
        OffsetDateTime reportedAt,
        String reason) implements Payload {

    public FreezeReport {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reportedAt, "reportedAt");
        if (status == Status.EXECUTED || status == Status.PARTIALLY_EXECUTED) {
            Objects.requireNonNull(frozenAmountVnd, "frozenAmountVnd");
            Objects.requireNonNull(executedAt, "executedAt");
            Objects.requireNonNull(bankReference, "bankReference");
        }
        if (status == Status.PARTIALLY_EXECUTED || status == Status.REJECTED) {
            Objects.requireNonNull(reason, "reason");
        }
    }

    @Override
    public MessageType messageType() {
        return MessageType.FREEZE_REPORT;
    }

    /** What became of the request. */
    public enum Status { EXECUTED, PARTIALLY_EXECUTED, REJECTED, RELEASED, EXPIRED }
}
