package vn.lienthong.gateway.identity;

import java.util.Objects;

/** What the identity check of one input concluded: a proved caller, or a refusal saying why. */
public sealed interface Authentication {

    /** The identity was proved. */
    record Authenticated(Caller caller) implements Authentication {
        public Authenticated {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /** The input does not prove who sent it; the reason is safe to show the sender (it never holds the token). */
    record Refused(String reason) implements Authentication {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A refusal. */
    static Authentication refused(String reason) {
        return new Refused(reason);
    }
}
