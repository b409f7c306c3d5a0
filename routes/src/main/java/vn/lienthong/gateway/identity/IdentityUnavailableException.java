package vn.lienthong.gateway.identity;

/**
 * Keycloak could not be asked who is enabled for longer than the revocation bound: a transient
 * failure of the gateway, not a fault of the input, so channels retry instead of refusing.
 */
public final class IdentityUnavailableException extends RuntimeException {

    /** A failure with its explanation. */
    public IdentityUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
