package vn.lienthong.gateway.workflows;

import java.util.List;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Whether a message fits the cases it answers or opens: a report answers a request its sender
 * received, a RELEASE names a measure in force of its requester, a second FREEZE of a decision and
 * account is a conflict. Called at ingress after authorization; its errors refuse the input like
 * any other check.
 */
public interface Coherence {

    /** A check that finds nothing wrong (no workflows). */
    Coherence NONE = message -> List.of();

    /** The errors that keep this message from its case; none when it fits. */
    List<ValidationError> check(Envelope message);
}
