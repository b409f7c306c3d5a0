package vn.lienthong.connectors.edxml;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import vn.lienthong.schemas.v1.CaseTransfer;
import vn.lienthong.schemas.v1.DocumentRef;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.FreezeReport;
import vn.lienthong.schemas.v1.FreezeRequest;
import vn.lienthong.schemas.v1.InfoRequest;
import vn.lienthong.schemas.v1.InfoResponse;
import vn.lienthong.schemas.v1.Payload;
import vn.lienthong.schemas.v1.PeriodicReport;
import vn.lienthong.schemas.v1.Receipt;
import vn.lienthong.schemas.v1.Signer;
import vn.lienthong.schemas.v1.TakedownReport;
import vn.lienthong.schemas.v1.TakedownRequest;
import vn.lienthong.schemas.v1.ViolationNotice;
import vn.lienthong.schemas.ValidatorSettings;

/**
 * What the edXML header says about a canonical message, derived from it alone (so the same message
 * always gives the same header): the document type and subject a clerk sees in a provincial
 * document system, the number and signer of the decision or record it carries, the dates in
 * Vietnam's time. The canonical JSON attachment stays the record; the header only describes it.
 */
record HeaderFields(String typeName, String subject, String codeNumber, String codeNotation,
        String promulgationDate, String signerPosition, String signerName, String dueDate, String priority,
        String timestamp) {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu/MM/dd");
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss");

    static HeaderFields of(Envelope m) {
        Payload p = m.payload();
        DocumentRef document = null;
        Signer signer = null;
        String typeName;
        String subject;
        if (p instanceof ViolationNotice n) {
            typeName = "Thông báo vi phạm";
            subject = typeName + " " + n.caseRef();
            document = n.record();
        } else if (p instanceof CaseTransfer c) {
            typeName = "Chuyển hồ sơ vụ việc";
            subject = typeName + " " + c.caseRef();
            document = c.transferDecision();
        } else if (p instanceof FreezeRequest f) {
            typeName = switch (f.measure()) {
                case FREEZE -> "Yêu cầu phong tỏa tài khoản";
                case DELAY -> "Yêu cầu tạm dừng giao dịch";
                case RELEASE -> "Yêu cầu giải tỏa tài khoản";
            };
            subject = f.caseRef() == null ? typeName : typeName + " " + f.caseRef();
            if (f.decision() != null) {
                signer = f.decision().signer();
                return fields(m, typeName, subject, f.decision().number(), f.decision().date(), signer);
            }
        } else if (p instanceof FreezeReport) {
            typeName = "Báo cáo thực hiện phong tỏa, tạm dừng giao dịch";
            subject = typeName;
        } else if (p instanceof InfoRequest i) {
            typeName = "Yêu cầu cung cấp thông tin";
            subject = i.caseRef() == null ? typeName : typeName + " " + i.caseRef();
        } else if (p instanceof InfoResponse) {
            typeName = "Cung cấp thông tin";
            subject = typeName;
        } else if (p instanceof TakedownRequest) {
            typeName = "Yêu cầu gỡ bỏ thông tin vi phạm";
            subject = typeName;
        } else if (p instanceof TakedownReport) {
            typeName = "Báo cáo gỡ bỏ thông tin vi phạm";
            subject = typeName;
        } else if (p instanceof PeriodicReport r) {
            // A month keeps the name it always had; the other kinds say which report it is.
            typeName = switch (r.kind()) {
                case MONTH -> "Báo cáo định kỳ";
                case QUARTER -> "Báo cáo định kỳ quý";
                case HALF_YEAR -> "Báo cáo định kỳ 6 tháng";
                case YEAR -> "Báo cáo định kỳ năm";
                case AD_HOC -> "Báo cáo đột xuất";
            };
            subject = typeName + " từ ngày " + r.period().from().format(DATE) + " đến ngày "
                    + r.period().to().format(DATE);
        } else if (p instanceof Receipt) {
            typeName = "Biên nhận";
            subject = typeName;
        } else {
            typeName = p.messageType().wireName();
            subject = typeName;
        }
        if (document != null) {
            return fields(m, typeName, subject, document.number(), document.date(), document.signer());
        }
        return fields(m, typeName, subject, null, null, null);
    }

    private static HeaderFields fields(Envelope m, String typeName, String subject, String number, LocalDate date,
            Signer signer) {
        // "123/BB-VPHC": number 123, notation BB-VPHC (số và ký hiệu văn bản).
        String codeNumber = "";
        String codeNotation = "";
        if (number != null) {
            int slash = number.indexOf('/');
            codeNumber = slash < 0 ? number : number.substring(0, slash);
            codeNotation = slash < 0 ? "" : number.substring(slash + 1);
        }
        LocalDate promulgated = date != null ? date
                : m.createdAt().atZoneSameInstant(ValidatorSettings.VIETNAM).toLocalDate();
        return new HeaderFields(typeName, subject, codeNumber, codeNotation, promulgated.format(DATE),
                signer == null ? "" : signer.position(), signer == null ? "" : signer.fullName(),
                m.deadline() == null ? null : m.deadline().atZoneSameInstant(ValidatorSettings.VIETNAM).format(DATE),
                // QCVN 102 OtherInfo/Priority as VPCP implementations use it: 0 normal (thường), 1 urgent (khẩn).
                switch (m.effectivePriority()) {
                    case NORMAL -> "0";
                    case URGENT -> "1";
                },
                m.createdAt().atZoneSameInstant(ValidatorSettings.VIETNAM).format(TIMESTAMP));
    }
}
