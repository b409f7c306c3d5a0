package vn.lienthong.gateway.journal;

import java.util.List;

/** Records inputs durably: a whole batch in one transaction, or nothing. */
public interface Journal {

    /**
     * Records the batch in one database transaction: messages, their deliveries and audit entries
     * for accepted inputs (duplicates recorded as nothing), quarantine and audit entries for refused
     * ones. Returns one result per entry, in order. Throws when the transaction fails: then
     * nothing of the batch is recorded and no source may be acknowledged.
     */
    List<Recorded> record(List<JournalEntry> batch);
}
