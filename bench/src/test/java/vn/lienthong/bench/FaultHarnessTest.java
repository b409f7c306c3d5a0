package vn.lienthong.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import vn.lienthong.bench.FaultHarnessLedger.Channel;

/**
 * The fault harness's short variant, on real servers: two gateway instances (the gateway's own
 * jar) under load on JMS, Kafka, SFTP and REST, three of them killed with {@code kill -9} and
 * restarted, Artemis, Kafka and PostgreSQL (each its own process) restarted once each, the push
 * recipient away for half a minute. Counted from the agencies' side: no accepted message missing at
 * any recipient, a receipt for every input, every refused input in quarantine, the audit chain
 * intact. Duplicates are reported by the harness; their bound is asserted here (see the README's
 * Faults section). No timings are asserted.
 */
class FaultHarnessTest {

    /** The gateway's default {@code lienthong.dispatch.batch-size}: the most deliveries one dispatch round sends. */
    private static final int DISPATCH_BATCH = 200;

    @Test
    void nothingIsLostWhileInstancesAreKilledAndBrokersRestart(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        Path jar = ThroughputBenchmark.gatewayJar();
        if (jar == null) {
            // mvn verify packages the gateway before this module's tests; a lone "mvn test" has no jar.
            if (System.getenv("CI") != null) {
                fail("routes/target/lienthong-gateway.jar is missing: the fault harness runs the gateway's own jar");
            }
            assumeTrue(false, "routes/target/lienthong-gateway.jar is not built (mvn verify builds it)");
        }
        FaultHarness.Result result = FaultHarness.run(FaultHarnessSettings.parse(new String[] {"--mode=faults",
                "--instances=2", "--kills=3", "--kill-every=20s", "--outage=30s", "--duration=60s", "--rate=1",
                "--bad-every=10", "--drain=15m", "--gateway-heap=384m", "--seed=14", "--jar=" + jar,
                "--data-dir=" + dir.toAbsolutePath()}), System.out);

        assertThat(result.failure()).as("the run itself").isNull();
        assertThat(result.kills()).isEqualTo(3);
        assertThat(result.brokerRestarts()).isEqualTo(3);
        assertThat(result.refusedPushes()).as("the push recipient was really away").isPositive();
        for (Channel channel : Channel.values()) {
            assertThat(result.inputs().get(channel)).as("inputs on " + channel).isGreaterThan(10);
            assertThat(result.bad().get(channel)).as("bad inputs on " + channel).isPositive();
            assertThat(result.withoutReceipt().get(channel)).as("inputs on " + channel + " without a receipt").isZero();
        }
        assertThat(result.refusedGood()).as("valid inputs refused").isZero();
        assertThat(result.badAccepted()).as("invalid inputs accepted").isZero();
        assertThat(result.badNotQuarantined()).as("refused inputs missing from quarantine").isZero();
        assertThat(result.lost()).as("accepted messages missing at a recipient").allSatisfy((r, n) -> assertThat(n)
                .as(r).isZero());
        assertThat(result.expected()).allSatisfy((r, n) -> assertThat(n).as(r).isPositive());
        // JMS and Kafka: exactly once. JMS: the broker drops a delivery sent again (its delivery id is
        // Artemis's duplicate id). Kafka: a round's deliveries are one Kafka transaction, and a
        // delivery whose round was interrupted after it is looked up on its topic before it is sent
        // again (README "Kafka deliveries exactly once"); the recipient reads read_committed. REST
        // push at least once: a dispatch round sends, then commits its outcomes; a kill -9 or a
        // database restart between the two has every push of the round made again by the next claim.
        // So each fault may repeat at most one round (lienthong.dispatch.batch-size, 200) per recipient.
        assertThat(result.duplicates().get("FAULT.TO.JMS")).as("duplicates at the JMS recipient").isZero();
        assertThat(result.duplicates().get("FAULT.TO.KAFKA")).as("duplicates at the Kafka recipient").isZero();
        int bound = (result.kills() + result.brokerRestarts()) * DISPATCH_BATCH;
        assertThat(result.duplicates()).allSatisfy((r, n) -> assertThat(n).as("duplicates at " + r).isLessThanOrEqualTo(bound));
        assertThat(result.auditOk()).as(result.audit()).isTrue();
        assertThat(result.deliveriesByStatus()).doesNotContainKey("FAILED");
        assertThat(result.passed()).isTrue();
    }
}
