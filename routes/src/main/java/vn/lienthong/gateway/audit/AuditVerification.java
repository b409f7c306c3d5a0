package vn.lienthong.gateway.audit;

/** The result of verifying the audit chain: intact with its length, or the first broken entry. */
public sealed interface AuditVerification {

    /** Whether the whole chain verified. */
    boolean ok();

    /** One line for an operator. */
    String describe();

    /** Every entry verified. */
    record Ok(long entries) implements AuditVerification {
        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String describe() {
            return "audit chain OK: " + entries + " entries";
        }
    }

    /** The first entry that does not verify (for a missing entry: the seq that is missing), and why. */
    record Broken(long seq, String why) implements AuditVerification {
        @Override
        public boolean ok() {
            return false;
        }

        @Override
        public String describe() {
            return "audit chain BROKEN at entry " + seq + ": " + why;
        }
    }
}
