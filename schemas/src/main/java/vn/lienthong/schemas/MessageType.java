package vn.lienthong.schemas;

import java.util.Arrays;
import java.util.Optional;

/** The canonical message types of schema v1, by their wire name. */
public enum MessageType {
    VIOLATION_NOTICE("violation.notice"),
    CASE_TRANSFER("case.transfer"),
    FREEZE_REQUEST("freeze.request"),
    FREEZE_REPORT("freeze.report"),
    INFO_REQUEST("info.request"),
    INFO_RESPONSE("info.response"),
    TAKEDOWN_REQUEST("takedown.request"),
    TAKEDOWN_REPORT("takedown.report"),
    REPORT_PERIODIC("report.periodic"),
    RECEIPT("receipt"),
    /** The gateway's notice of a passed deadline; like receipts, only the gateway sends it. */
    DEADLINE_OVERDUE("deadline.overdue"),
    /** The gateway's notice to a sender that a delivery of its message was abandoned; only the gateway sends it. */
    DELIVERY_ABANDONED("delivery.abandoned");

    private final String wireName;

    MessageType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the envelope's {@code type} and in the registry. */
    public String wireName() {
        return wireName;
    }

    /** Whether only the gateway itself sends messages of this type (receipts, deadline notices). */
    public boolean gatewayOnly() {
        return this == RECEIPT || this == DEADLINE_OVERDUE || this == DELIVERY_ABANDONED;
    }

    /** The type for a wire name, if it is one. */
    public static Optional<MessageType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
