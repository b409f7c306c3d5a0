package vn.lienthong.schemas.v1;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import vn.lienthong.schemas.MessageType;

/** The type-specific body of a message; its schema follows from the envelope's {@code type}. */
@JsonSubTypes({
    @JsonSubTypes.Type(value = ViolationNotice.class, name = "violation.notice"),
    @JsonSubTypes.Type(value = CaseTransfer.class, name = "case.transfer"),
    @JsonSubTypes.Type(value = FreezeRequest.class, name = "freeze.request"),
    @JsonSubTypes.Type(value = FreezeReport.class, name = "freeze.report"),
    @JsonSubTypes.Type(value = InfoRequest.class, name = "info.request"),
    @JsonSubTypes.Type(value = InfoResponse.class, name = "info.response"),
    @JsonSubTypes.Type(value = TakedownRequest.class, name = "takedown.request"),
    @JsonSubTypes.Type(value = TakedownReport.class, name = "takedown.report"),
    @JsonSubTypes.Type(value = PeriodicReport.class, name = "report.periodic"),
    @JsonSubTypes.Type(value = Receipt.class, name = "receipt"),
    @JsonSubTypes.Type(value = DeadlineOverdue.class, name = "deadline.overdue"),
    @JsonSubTypes.Type(value = DeliveryAbandoned.class, name = "delivery.abandoned")
})
public sealed interface Payload permits ViolationNotice, CaseTransfer, FreezeRequest, FreezeReport,
        InfoRequest, InfoResponse, TakedownRequest, TakedownReport, PeriodicReport, Receipt, DeadlineOverdue,
        DeliveryAbandoned {

    /** The message type this payload belongs to. */
    MessageType messageType();
}
