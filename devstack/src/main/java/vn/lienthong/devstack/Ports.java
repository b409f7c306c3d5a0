package vn.lienthong.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Free TCP ports on the loopback interface. */
final class Ports {

    static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /**
     * A port that was free a moment ago. The caller binds it soon after; the stack then keeps it for
     * the life of the stack so that a restarted server comes back on the same address.
     */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /** The given port, or if 0 a free one not in {@code taken}; either way it is added to {@code taken}. */
    static int orFree(int port, Set<Integer> taken) {
        int chosen = port;
        while (chosen == 0 || (port == 0 && taken.contains(chosen))) {
            // Two quick picks can return the same port once the first socket is closed.
            chosen = free();
        }
        taken.add(chosen);
        return chosen;
    }
}
