package vn.lienthong.gateway.attachments;

import vn.lienthong.gateway.dispatch.DeliverySender;

/**
 * Test only: an attachments class that uses the dispatch (the attachments rule must catch it) and
 * seals with Tink itself (the at-rest rule must catch it).
 */
public final class DeliberateAttachmentViolation {

    /** The store's side reaching up into a channel. */
    DeliverySender sender;

    /** The store's side sealing on its own instead of through atrest's StreamCipher. */
    com.google.crypto.tink.subtle.AesGcmHkdfStreaming ownCipher;
}
