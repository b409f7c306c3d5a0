package vn.lienthong.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The fault harness's command-line arguments ({@code --mode=faults}).
 *
 * @param instances gateway instances (child JVMs of the gateway's jar)
 * @param kills how many times a random instance is killed ({@code kill -9}) and restarted
 * @param killEvery the time between two kills
 * @param outage how long the push recipient answers 503
 * @param duration how long the load runs at least; it runs on until the faults and the outage are over
 * @param rate inputs per second on each of the four channels
 * @param badEvery every n-th input of a channel is invalid on purpose (refused, quarantined)
 * @param brokerRestarts whether Artemis, Kafka and PostgreSQL are restarted once each
 * @param drain how long the harness waits, after the load, for every delivery and receipt
 * @param gatewayHeap each gateway's {@code -Xmx}
 * @param jar the gateway jar; null for routes/target/lienthong-gateway.jar
 * @param dataDir where everything keeps its files; null for a fresh temporary directory
 * @param keepData keep the data directory even after a run that passed
 * @param seed the random seed of which instance is killed
 * @param gatewayArgs Spring arguments handed to every gateway
 * @param help print the usage and stop
 */
record FaultHarnessSettings(
        int instances,
        int kills,
        Duration killEvery,
        Duration outage,
        Duration duration,
        double rate,
        int badEvery,
        boolean brokerRestarts,
        Duration drain,
        String gatewayHeap,
        Path jar,
        Path dataDir,
        boolean keepData,
        long seed,
        List<String> gatewayArgs,
        boolean help) {

    static final String USAGE = """
            usage: java -jar bench/target/lienthong-bench.jar --mode=faults [options] [--lienthong.x=y ...]

            Runs N gateway instances (the gateway's own jar, child JVMs) on one PostgreSQL, one Kafka and one
            Artemis (each its own process, data kept across restarts), an SFTP server and Keycloak, under steady
            load on JMS, Kafka, SFTP and REST; meanwhile kills (kill -9) a random instance every few seconds and
            restarts it, restarts Artemis, Kafka and PostgreSQL once each, and has the push recipient answer 503
            for a while. Then it counts from the recipients' and senders' side and prints a table.

              --instances=N         gateway instances (default 3)
              --kills=N             kill -9 and restart a random instance N times (default 10)
              --kill-every=DURATION time between kills (default 20s)
              --outage=DURATION     the push recipient answers 503 this long (default 10m)
              --duration=DURATION   the load runs at least this long, and on until the faults and the outage
                                    are over (default 0)
              --rate=R              inputs per second on each channel (default 2)
              --bad-every=N         every N-th input of a channel is invalid on purpose (default 25)
              --no-broker-restarts  do not restart Artemis, Kafka and PostgreSQL
              --drain=DURATION      after the load, wait this long at most for deliveries and receipts (default 15m)
              --gateway-heap=SIZE   each gateway's -Xmx (default 512m)
              --jar=PATH            the gateway jar (default: routes/target/lienthong-gateway.jar)
              --data-dir=PATH       a new or empty directory (default: a fresh one under the temp dir)
              --keep-data           keep the data directory after a run that passed
              --seed=N              the seed of the random choice of instance to kill (default: the time)
              --lienthong.*, --camel.*, --spring.*, --logging.*   handed to every gateway
            Exit status: 0 when nothing was lost and every check passed, 1 otherwise, 2 for bad arguments.
            """;

    /** Reads the arguments; throws IllegalArgumentException naming the first bad one. */
    static FaultHarnessSettings parse(String[] args) {
        int instances = 3;
        int kills = 10;
        Duration killEvery = Duration.ofSeconds(20);
        Duration outage = Duration.ofMinutes(10);
        Duration duration = Duration.ZERO;
        double rate = 2;
        int badEvery = 25;
        Duration drain = Duration.ofMinutes(15);
        String heap = "512m";
        Path jar = null;
        Path dataDir = null;
        long seed = System.nanoTime();
        CommandLine.Parsed line = CommandLine.parse(args, Set.of("keep-data", "no-broker-restarts"));
        for (CommandLine.Option option : line.options()) {
            String name = option.name();
            String value = option.value();
            switch (name) {
                case "mode" -> {
                    if (!value.equals("faults")) {
                        throw CommandLine.unknown(option);
                    }
                }
                case "instances" -> instances = CommandLine.positive(name, value);
                case "kills" -> kills = CommandLine.whole(name, value);
                case "kill-every" -> killEvery = CommandLine.duration(name, value);
                case "outage" -> outage = CommandLine.duration(name, value);
                case "duration" -> duration = CommandLine.duration(name, value);
                case "rate" -> {
                    try {
                        rate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--rate takes a number, not " + value);
                    }
                    if (!(rate > 0)) {
                        throw new IllegalArgumentException("--rate must be more than 0");
                    }
                }
                case "bad-every" -> badEvery = CommandLine.positive(name, value);
                case "drain" -> drain = CommandLine.duration(name, value);
                case "gateway-heap" -> heap = CommandLine.heap(name, value);
                case "jar" -> jar = Path.of(value);
                case "data-dir" -> dataDir = Path.of(value);
                case "seed" -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seed takes a whole number, not " + value);
                    }
                }
                default -> throw CommandLine.unknown(option);
            }
        }
        if (instances < 2 && kills > 0) {
            // With one instance a kill stops everything: that is a restart test, not this harness.
            throw new IllegalArgumentException("--instances must be at least 2 when instances are killed");
        }
        return new FaultHarnessSettings(instances, kills, killEvery, outage, duration, rate, badEvery,
                !line.flags().contains("no-broker-restarts"), drain, heap, jar, dataDir,
                line.flags().contains("keep-data"), seed, line.gatewayArgs(), line.help());
    }

    /** Whether the gateway arguments already set this property. */
    boolean setsGatewayProperty(String property) {
        return CommandLine.setsProperty(gatewayArgs, property);
    }
}
