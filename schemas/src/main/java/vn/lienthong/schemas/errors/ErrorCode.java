package vn.lienthong.schemas.errors;

/**
 * Stable error codes. They appear in negative receipts and quarantine records, so a code once
 * published is never renamed or reused for another meaning.
 */
public enum ErrorCode {
    // --- the bytes themselves
    /** Zero bytes, or only white space. */
    EMPTY_BODY,
    /** Larger than the configured limit (attachments travel by reference). */
    BODY_TOO_LARGE,
    /** Bytes that are not well-formed UTF-8. */
    INVALID_UTF8,
    /** Not JSON, or JSON cut short. */
    MALFORMED_JSON,
    /** The same key twice in one object. */
    DUPLICATE_KEY,
    /** Arrays or objects nested deeper than the limit. */
    NESTING_TOO_DEEP,
    /** JSON whose top level is not an object. */
    NOT_AN_OBJECT,

    // --- JSON Schema keywords (the schema says where; these say which constraint)
    SCHEMA_REQUIRED,
    SCHEMA_TYPE,
    SCHEMA_ENUM,
    SCHEMA_CONST,
    SCHEMA_PATTERN,
    SCHEMA_FORMAT,
    SCHEMA_ADDITIONAL_PROPERTIES,
    SCHEMA_MIN_LENGTH,
    SCHEMA_MAX_LENGTH,
    SCHEMA_MINIMUM,
    SCHEMA_MAXIMUM,
    SCHEMA_MIN_ITEMS,
    SCHEMA_MAX_ITEMS,
    SCHEMA_UNIQUE_ITEMS,
    SCHEMA_ONE_OF,
    SCHEMA_ANY_OF,
    SCHEMA_NOT,
    SCHEMA_DEPENDENT_REQUIRED,
    /** Any other schema keyword. */
    SCHEMA_VIOLATION,
    /** {@code type} is not a type of this schema version. */
    UNKNOWN_MESSAGE_TYPE,
    /** {@code schemaVersion} is not one this gateway reads. */
    UNSUPPORTED_SCHEMA_VERSION,

    // --- identifiers
    /** Not a valid Vietnamese tax code (length, check digit, branch, sequence). */
    INVALID_TAX_CODE,
    /** Not a valid CCCD / personal ID number (length, birth-registration province). */
    INVALID_CCCD,
    /** The CCCD's century-and-gender digit contradicts the birth year given in the message. */
    CCCD_BIRTH_YEAR_MISMATCH,
    /** A province code or name that is neither current nor a known former province. */
    UNKNOWN_PROVINCE,
    /** A bank BIN not in the bundled list. */
    UNKNOWN_BANK_BIN,

    // --- business rules
    /** The classification is a state-secret level (Mật, Tối mật, Tuyệt mật): Law 29/2018. */
    STATE_SECRET_NOT_ALLOWED,
    /** FREEZE and DELAY need a decision: number, date, issuer, signer, legal ground. */
    FREEZE_DECISION_REQUIRED,
    /** The legal ground does not fit the measure, or "other" without its text. */
    FREEZE_LEGAL_GROUND_INVALID,
    /** A DELAY ends more than the allowed working days after it starts (AML Law 2022 art. 44). */
    DELAY_TOO_LONG,
    /** A freeze's start missing (FREEZE, DELAY), its end missing (DELAY), or its end not after its start. */
    FREEZE_PERIOD_INVALID,
    /** A freeze.request amount that is missing (FREEZE) or not a positive whole number of VND. */
    FREEZE_AMOUNT_INVALID,
    /** A RELEASE that does not name the freeze request it lifts. */
    RELEASE_TARGET_REQUIRED,
    /** A URL of a takedown.request listing or a takedown.report result that is not an absolute http(s) URL. */
    TAKEDOWN_URL_INVALID,
    /**
     * A periodic report whose period is not one month: a calendar month, or the 15th of the
     * previous month to the 14th (Decree 09/2019/NĐ-CP art. 12).
     */
    REPORT_PERIOD_NOT_ONE_MONTH,
    /**
     * A quarterly, six-monthly or yearly report whose period is not that span under the reporting
     * convention, or an ad-hoc report longer than a year.
     */
    REPORT_PERIOD_MISMATCH,
    /** A periodic report figure that is not a non-negative integer. */
    REPORT_FIGURE_INVALID,
    /** A date that lies in the future beyond the tolerance. */
    DATE_IN_FUTURE,
    /** A deadline that is not after the message's creation. */
    DEADLINE_BEFORE_CREATED,
    /** A period whose end comes before its start. */
    PERIOD_INVALID,
    /** A name that should refer to one of the envelope's attachments but does not. */
    UNKNOWN_ATTACHMENT,
    /** A report or response whose {@code request} differs from the envelope's {@code inReplyTo}. */
    IN_REPLY_TO_MISMATCH,
    /** A URL that is not an absolute http(s) URL with a host. */
    INVALID_URL,

    // --- the gateway (ingress, policy, journal)
    /**
     * No credential, or one that does not prove the sender: a missing or bad token (signature,
     * algorithm, issuer, audience, expiry), a refused login, or an agency disabled in Keycloak.
     */
    NOT_AUTHENTICATED,
    /** The envelope's sender is not the agency that owns the channel or token. */
    SENDER_MISMATCH,
    /** The sender may not send this type, on this basis, to these recipients. */
    NOT_AUTHORIZED,
    /** A recipient that the registry does not know. */
    UNKNOWN_RECIPIENT,
    /** The native format could not be decoded (the message names the line, field or XPath). */
    DECODE_FAILED,
    /**
     * The sender's channel requires its inputs to be signed (registry {@code signatures: required})
     * and this one carried no signature of its format (e.g. no XML-DSig in an edXML document).
     */
    SIGNATURE_REQUIRED,

    // --- workflows (the gateway's cases: a reply must answer a request its sender received)
    /** A freeze.report whose request is no freeze.request (or RELEASE) addressed to the reporting agency. */
    FREEZE_REPORT_WITHOUT_REQUEST,
    /** A RELEASE that names no FREEZE or DELAY of the same requester in force. */
    RELEASE_NOTHING_IN_FORCE,
    /** A second FREEZE or DELAY for a decision and account already in force: a conflict, not a new case. */
    FREEZE_ALREADY_IN_FORCE,
    /** An info.response whose request is no info.request addressed to the responding agency. */
    INFO_RESPONSE_WITHOUT_REQUEST,
    /** A takedown.report whose request is no takedown.request addressed to the reporting platform. */
    TAKEDOWN_REPORT_WITHOUT_REQUEST,
    /** A takedown.report result for a listing the request did not name. */
    TAKEDOWN_REPORT_UNKNOWN_LISTING,

    // --- what a recipient can carry, and reused identifiers
    /**
     * The sender already sent a message with this messageId (or, in a batch format, this batch id
     * and row) whose content differs: a correction needs a new messageId. An identical resend is
     * not an error: it gets the original receipt, marked duplicate by its channel.
     */
    MESSAGE_ID_REUSED,
    /**
     * A recipient's format cannot carry a character of the message (XML 1.0 recipients: C0 control
     * characters other than tab, line feed and carriage return, lone surrogates, U+FFFE, U+FFFF);
     * the message names the recipient, its format and the code point, the pointer the text.
     */
    RECIPIENT_CANNOT_CARRY_CHARACTER,
    /**
     * The message, encoded in a recipient's format, is larger than that recipient's channel carries
     * (e.g. a Kafka recipient's record limit); the message names the recipient, the size and the limit.
     */
    TOO_LARGE_FOR_RECIPIENT,
    /**
     * A recipient's format cannot express the message otherwise (a member its profile has no place
     * for); the message names the recipient and the format's reason.
     */
    NOT_ENCODABLE_FOR_RECIPIENT,

    // --- attachments (claim check)
    /**
     * An {@code attachments} entry whose bytes the gateway does not hold for this sender: nothing
     * stored under its SHA-256, not uploaded by the sender, or a {@code ref} that is no reference
     * the gateway issued ({@code att:<sha256>/<name>}).
     */
    ATTACHMENT_NOT_STORED,
    /**
     * An {@code attachments} entry that does not fit the bytes it references: its {@code ref}
     * names another SHA-256 than its {@code sha256}, or the stored size differs from its
     * {@code size}; at upload, bytes whose SHA-256 is not the one the uploader declared.
     */
    ATTACHMENT_MISMATCH
}
