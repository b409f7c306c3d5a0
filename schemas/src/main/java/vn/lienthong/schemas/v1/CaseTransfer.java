package vn.lienthong.schemas.v1;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/** A case with signs of a crime handed to the investigation agency with its case file. */
public record CaseTransfer(
        String caseRef,
        DocumentRef transferDecision,
        List<Subject> subjects,
        List<ViolationCategory> categories,
        String summary,
        List<String> suspectedOffences,
        List<UUID> relatedNotices,
        Province province,
        Long goodsValueVnd,
        List<String> caseFile) implements Payload {

    public CaseTransfer {
        Objects.requireNonNull(caseRef, "caseRef");
        Objects.requireNonNull(transferDecision, "transferDecision");
        subjects = List.copyOf(Objects.requireNonNull(subjects, "subjects"));
        categories = List.copyOf(Objects.requireNonNull(categories, "categories"));
        Objects.requireNonNull(summary, "summary");
        suspectedOffences = List.copyOf(Objects.requireNonNull(suspectedOffences, "suspectedOffences"));
        relatedNotices = relatedNotices == null ? null : List.copyOf(relatedNotices);
        caseFile = List.copyOf(Objects.requireNonNull(caseFile, "caseFile"));
    }

    @Override
    public MessageType messageType() {
        return MessageType.CASE_TRANSFER;
    }
}
