package vn.lienthong.gateway.atrest;

/**
 * Seals body bytes before they are stored and opens them when read: the one seam the journal,
 * outbox, inbox, tracking (and an attachment store) call. A sealed body names its data key, so
 * rotating keys never rewrites stored rows; bytes stored in clear before sealing was on open as
 * they are.
 */
public interface BodyCipher {

    /** Stores bodies as they are (tests of the journal alone, and tools that read clear rows). */
    BodyCipher CLEAR = new BodyCipher() {
        @Override
        public byte[] seal(byte[] clear, String scope) {
            return clear;
        }

        @Override
        public byte[] open(byte[] stored) {
            return stored;
        }
    };

    /**
     * The bytes to store for {@code clear}, under the current data key of {@code scope} (the
     * message's classification, or {@link #QUARANTINE}): keys are per scope and period, so a
     * retention purge can shred a period's key.
     */
    byte[] seal(byte[] clear, String scope);

    /** The clear bytes of stored ones; null stays null (a purged body). */
    byte[] open(byte[] stored);

    /** The clear bytes, or null when retention purged them (the body nulled, or its data key shredded). */
    default byte[] openUnlessPurged(byte[] stored) {
        try {
            return open(stored);
        } catch (AesGcmBodyCipher.ShreddedBodyException e) {
            return null;
        }
    }

    /** The scope of refused inputs' bytes (their classification is not trusted). */
    String QUARANTINE = "quarantine";
    /** The scope of stored attachments. */
    String ATTACHMENT = "attachment";
}
