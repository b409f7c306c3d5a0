package vn.lienthong.gateway.attachments;

import vn.lienthong.gateway.dispatch.DeliverySender;

/** Test only: an attachments class that uses the dispatch (the attachments rule must catch it). */
public final class DeliberateAttachmentViolation {

    /** The store's side reaching up into a channel. */
    DeliverySender sender;
}
