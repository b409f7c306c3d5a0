package vn.lienthong.schemas.v1;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/** A request to freeze an account, delay a transaction or release a freeze, for the State Bank. */
public record FreezeRequest(
        Measure measure,
        Decision decision,
        String caseRef,
        Bank bank,
        Account account,
        Long amountVnd,
        OffsetDateTime start,
        OffsetDateTime end,
        Transaction transaction,
        UUID releases,
        String reason) implements Payload {

    public FreezeRequest {
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(reason, "reason");
        // The schema's conditional requirements, so that code building requests gets the same guarantees.
        if (measure != Measure.RELEASE) {
            Objects.requireNonNull(decision, "decision (FREEZE and DELAY need one)");
            Objects.requireNonNull(start, "start (FREEZE and DELAY need one)");
        }
        if (measure == Measure.FREEZE) {
            Objects.requireNonNull(amountVnd, "amountVnd (a FREEZE names the amount)");
        }
        if (measure == Measure.DELAY) {
            Objects.requireNonNull(end, "end (a DELAY says when it ends)");
        }
        if (measure == Measure.RELEASE) {
            Objects.requireNonNull(releases, "releases (a RELEASE names the freeze it lifts)");
        }
    }

    @Override
    public MessageType messageType() {
        return MessageType.FREEZE_REQUEST;
    }

    /** What the bank is asked to do. */
    public enum Measure { FREEZE, DELAY, RELEASE }

    /** The legal grounds a freeze may rest on. */
    public enum LegalGroundCode {
        CPC_2015_ART_129, AML_2022_ART_44, DECREE_296_2025, DECREE_52_2024_ART_11, CPC_2015_ART_130, OTHER
    }

    /** The written decision or request behind the measure. */
    public record Decision(String number, LocalDate date, Issuer issuer, Signer signer, LegalGround legalGround) {
        public Decision {
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(legalGround, "legalGround");
        }
    }

    /** A legal ground from the list, or OTHER with its text. */
    public record LegalGround(LegalGroundCode code, String text) {
        public LegalGround {
            Objects.requireNonNull(code, "code");
            if (code == LegalGroundCode.OTHER) {
                Objects.requireNonNull(text, "text (OTHER needs its text)");
            }
        }
    }

    /** The executing bank. */
    public record Bank(String bin, String name, String branch) {
        public Bank {
            Objects.requireNonNull(bin, "bin");
        }
    }

    /** The account and its holder. */
    public record Account(String number, Holder holder) {
        public Account {
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(holder, "holder");
        }

        /** Never prints the account number in clear. */
        @Override
        public String toString() {
            return "Account[redacted]";
        }
    }

    /** The account holder, identified by CCCD or tax code. */
    public record Holder(String fullName, String cccd, String taxCode, Integer birthYear) {
        public Holder {
            Objects.requireNonNull(fullName, "fullName");
            if (cccd == null && taxCode == null) {
                throw new IllegalArgumentException("a holder needs a cccd or taxCode");
            }
        }

        /** Never prints identifiers in clear. */
        @Override
        public String toString() {
            return "Holder[redacted]";
        }
    }

    /** The transaction a DELAY holds. */
    public record Transaction(String reference, String counterpartyName, String counterpartyAccount) {
        public Transaction {
            Objects.requireNonNull(reference, "reference");
        }

        /** Never prints the counterparty account in clear. */
        @Override
        public String toString() {
            return "Transaction[reference=" + reference + ", counterparty redacted]";
        }
    }
}
