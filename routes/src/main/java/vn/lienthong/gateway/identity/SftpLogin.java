package vn.lienthong.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** Decides whether a user name and password may log in to the embedded SFTP server. */
@FunctionalInterface
public interface SftpLogin {

    /**
     * @return true if the password is right for this user
     */
    boolean authenticate(String user, String password);

    /**
     * The same, knowing the client's address (a throttle counts failures per source); by default
     * the address is not used.
     *
     * @return true if the password is right for this user
     */
    default boolean authenticate(String user, String password, String source) {
        return authenticate(user, password);
    }

    /**
     * Checks against a fixed map of user to password.
     *
     * @param passwords user name to password; the map is read at every login, so a concurrent map
     *     may gain users while the server runs
     */
    static SftpLogin ofPasswords(Map<String, String> passwords) {
        return (user, password) -> {
            if (user == null || password == null) {
                return false;
            }
            String expected = passwords.get(user);
            // Constant-time comparison: the time taken must not tell how much of a password matched.
            return expected != null && MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
        };
    }
}
