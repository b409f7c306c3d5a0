package vn.lienthong.devstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * One of the devstack's servers alone, as its own process, on a given port and data directory that
 * outlive it: {@code StandaloneServer artemis|kafka|postgres --port=N --data-dir=DIR
 * [--controller-port=N]}. It prints {@value #READY} and the address when it listens, and stops
 * cleanly on SIGTERM (a killed one leaves its data as a crash would), so that a fault harness can
 * stop, kill and restart a broker or the database under a running gateway and count what survived.
 */
public final class StandaloneServer {

    /** The line printed (followed by a space and the address) once the server accepts connections. */
    public static final String READY = "STANDALONE-SERVER-READY";

    private StandaloneServer() {
    }

    /** Starts the server and runs until the process is told to stop. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage("which server?");
        }
        String kind = args[0];
        int port = 0;
        int controllerPort = 0;
        Path dataDir = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--controller-port=")) {
                controllerPort = Integer.parseInt(arg.substring("--controller-port=".length()));
            } else if (arg.startsWith("--data-dir=")) {
                dataDir = Path.of(arg.substring("--data-dir=".length())).toAbsolutePath();
            } else {
                usage("unknown argument " + arg);
            }
        }
        if (port <= 0 || dataDir == null) {
            usage("--port and --data-dir are required");
        }
        // Without Spring, logback would print every DEBUG line of the broker.
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
        }
        Server server = switch (kind) {
            case "artemis" -> artemis(dataDir, port);
            case "kafka" -> kafka(dataDir, port, controllerPort);
            case "postgres" -> postgres(dataDir, port);
            default -> {
                usage("the server is artemis, kafka or postgres, not " + kind);
                yield null;
            }
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println(kind + " did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "standalone-server-stop"));
        String address = server.start();
        System.out.println(READY + " " + address);
        System.out.flush();
        stopped.await();
    }

    /** A server's start (returning its address) and stop. */
    private interface Server {
        String start() throws Exception;

        void stop() throws Exception;
    }

    private static Server artemis(Path dir, int port) {
        ArtemisBroker broker = new ArtemisBroker(dir, port);
        return new Server() {
            @Override
            public String start() throws Exception {
                broker.start();
                return broker.url();
            }

            @Override
            public void stop() throws Exception {
                broker.stop();
            }
        };
    }

    private static Server kafka(Path dir, int port, int controllerPort) {
        if (controllerPort <= 0) {
            usage("kafka needs --controller-port (the quorum's address must stay the same across restarts)");
        }
        // Three partitions a topic, so that the consumers of several gateway instances share one.
        KafkaBroker broker = new KafkaBroker(dir, port, 3, controllerPort);
        return new Server() {
            @Override
            public String start() {
                broker.start();
                return broker.bootstrap();
            }

            @Override
            public void stop() {
                broker.stop();
            }
        };
    }

    private static Server postgres(Path dir, int port) {
        PostgresServer pg = new PostgresServer(dir, port, EmbeddedStack.DATABASE);
        return new Server() {
            @Override
            public String start() throws Exception {
                pg.start();
                return pg.jdbcUrl();
            }

            @Override
            public void stop() throws Exception {
                pg.stop();
            }
        };
    }

    private static void usage(String problem) {
        System.err.println("standalone server: " + problem);
        System.err.println("usage: StandaloneServer artemis|kafka|postgres --port=N --data-dir=DIR [--controller-port=N]");
        System.exit(2);
    }
}
