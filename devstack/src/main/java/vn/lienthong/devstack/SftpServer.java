package vn.lienthong.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.RejectAllPublickeyAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import vn.lienthong.gateway.identity.SftpLogin;

/**
 * An SFTP-only SSH server: each agency user is jailed in its own folder, the gateway's account
 * sees the whole root.
 */
final class SftpServer {

    /** The sub-folders every agency folder gets. */
    static final List<String> SUBFOLDERS = List.of("inbox", "outbox", "done", "error");

    private final Path root;
    private final SimpleGeneratorHostKeyProvider hostKeys;
    private final int port;
    private final SftpLogin login;
    /** User to home directory; a user absent here cannot log in, whatever its password. */
    private final Map<String, Path> homes = new ConcurrentHashMap<>();
    /** Shared by every start, so users added at run time survive a restart. */
    private final VirtualFileSystemFactory fileSystems = new VirtualFileSystemFactory();
    private SshServer server;

    SftpServer(Path root, Path hostKey, int port, SftpLogin login) {
        this.root = root;
        // A host key kept on disk: clients that pinned it still trust the server after a restart.
        this.hostKeys = new SimpleGeneratorHostKeyProvider(hostKey);
        this.port = port;
        this.login = login;
        // No default home: a user without a mapping must not fall back to some shared directory.
        fileSystems.setDefaultHomeDir(null);
    }

    Path root() {
        return root;
    }

    int port() {
        return port;
    }

    synchronized boolean running() {
        return server != null;
    }

    /** Gives the user the whole root (the gateway's own account). */
    void addRootUser(String user) throws IOException {
        Files.createDirectories(root);
        home(user, root);
    }

    /** Confines the user to {@code root/folder}, creating it and its sub-folders if absent. */
    Path addUser(String user, String folder) throws IOException {
        Path home = root.resolve(folder).normalize();
        if (!home.getParent().equals(root)) {
            throw new IllegalArgumentException("SFTP folder must be one name directly under the root: " + folder);
        }
        for (String sub : SUBFOLDERS) {
            Files.createDirectories(home.resolve(sub));
        }
        home(user, home);
        return home;
    }

    /**
     * The server's host key as a line of an OpenSSH {@code known_hosts} file (generated and kept on
     * first use), so that clients can check whom they talk to instead of trusting any key.
     */
    String knownHostsLine() {
        KeyPair key = hostKeys.loadKeys(null).iterator().next();
        String host = port == 22 ? Ports.HOST : "[" + Ports.HOST + "]:" + port;
        return host + " " + PublicKeyEntry.toString(key.getPublic());
    }

    Path homeOf(String user) {
        return homes.get(user);
    }

    Map<String, Path> homes() {
        return Map.copyOf(homes);
    }

    private void home(String user, Path home) {
        Path previous = homes.putIfAbsent(user, home);
        if (previous != null && !previous.equals(home)) {
            throw new IllegalArgumentException("SFTP user " + user + " already has home " + previous);
        }
        fileSystems.setUserHomeDir(user, home);
    }

    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Files.createDirectories(root);
        SshServer candidate = SshServer.setUpDefaultServer();
        candidate.setHost(Ports.HOST);
        candidate.setPort(port);
        candidate.setKeyPairProvider(hostKeys);
        candidate.setPasswordAuthenticator((user, password, session) -> homes.containsKey(user)
                && login.authenticate(user, password, source(session.getClientAddress())));
        candidate.setPublickeyAuthenticator(RejectAllPublickeyAuthenticator.INSTANCE);
        candidate.setKeyboardInteractiveAuthenticator(null);
        candidate.setGSSAuthenticator(null);
        // SFTP only: no shell, no exec, and SSHD's default forwarding filter rejects tunnels.
        candidate.setShellFactory(null);
        candidate.setCommandFactory(null);
        candidate.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder().build()));
        candidate.setFileSystemFactory(fileSystems);
        try {
            candidate.start();
        } catch (IOException | RuntimeException e) {
            // Release the I/O threads of a server that could not bind.
            try {
                candidate.stop(true);
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        server = candidate;
    }

    synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        try {
            server.stop(true);
        } finally {
            server = null;
        }
    }

    /** The client's IP address, for per-source login limits. */
    private static String source(java.net.SocketAddress address) {
        return address instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }
}
