package vn.lienthong.gateway.audit;

/** The state changes the gateway itself audits; other components may audit actions of their own. */
public enum AuditAction {
    /** A message was recorded with its deliveries. */
    MESSAGE_ACCEPTED,
    /** An input was refused and kept in quarantine. */
    INPUT_QUARANTINED,
    /** A delivery reached the recipient's channel, or the recipient pulled it from its inbox. */
    DELIVERED,
    /** A delivery attempt failed; another follows after the backoff. */
    DELIVERY_ATTEMPT_FAILED,
    /** A delivery failed and its retry policy is spent: it waits for an operator. */
    DELIVERY_FAILED,
    /** The recipient confirmed a delivery. */
    ACKNOWLEDGED,
    /** An operator sent a FAILED delivery again. */
    RESENT,
    /** An operator gave up a FAILED delivery, with a reason: its order key no longer waits for it. */
    ABANDONED,
    /** An operator stopped dispatch to a recipient. */
    RECIPIENT_PAUSED,
    /** An operator let dispatch to a recipient go on. */
    RECIPIENT_RESUMED,
    /** A person read the original bytes of a refused input (they may hold personal identifiers). */
    ORIGINAL_READ,
    /** A person read the body of a restricted message (personal data), with a reason. */
    BODY_READ,
    /** A workflow case (freeze, takedown, information request) was opened by the request that starts it. */
    CASE_OPENED,
    /** A workflow case moved: a delivery, a reply, a RELEASE, or time (a lapse). */
    CASE_ADVANCED,
    /** A request could not open its case (a conflict that raced past the ingress check). */
    CASE_NOT_OPENED,
    /** A deadline passed and the gateway sent its deadline.overdue notice. */
    DEADLINE_ESCALATED,
    /** A party had not sent its periodic report by the due day and the gateway reminded it. */
    REPORT_REMINDED,
    /** The gateway sent its weekly early-warning digest. */
    WARNING_SENT,
    /** An agency uploaded an attachment (claim check): the blob's SHA-256 and size. */
    ATTACHMENT_STORED,
    /** An agency or a person downloaded a message's attachment (how: token, link or operator API). */
    ATTACHMENT_DOWNLOADED,
    /** A retention run purged the bodies past their classification's period (counts, cutoffs, keys shredded). */
    BODIES_PURGED
}
