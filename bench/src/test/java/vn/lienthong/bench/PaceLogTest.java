package vn.lienthong.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in/out line of the throughput run: rates per interval, the backlog, out over in during the ingress window. */
class PaceLogTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void outOverInIsTheDeliveriesDuringTheIngressWindowOverItsInputs() {
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        PaceLog pace = new PaceLog(taken::get, delivered::get, 1_000);

        pace.sample(0);
        assertThat(pace.summary()).contains("n/a");
        taken.set(100);
        pace.sample(1 * SECOND);                     // the first receipt: the window opens
        taken.set(600);
        delivered.set(300);
        pace.sample(3 * SECOND);
        assertThat(pace.interval(5 * SECOND)).isEqualTo(
                "pace: taken 600 (+120/s), delivered 300 (+60/s), backlog 300");
        taken.set(1_000);
        delivered.set(500);
        pace.sample(11 * SECOND);                    // the last receipt: 10 s after the first
        delivered.set(1_000);
        pace.sample(12 * SECOND);

        assertThat(pace.summary()).isEqualTo("pace                ingress window 10.0 s (first to last receipt):"
                + " in 90 msg/s, out 50 msg/s, out/in 0.56; delivered at the last receipt 500 of 1,000; peak backlog 500");
    }
}
