package vn.lienthong.gateway.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: inputs from many consumer threads are recorded together, one transaction for
 * whatever is waiting (up to a maximum), so the journal commits per batch while each consumer
 * still acknowledges its own source only after its input is durable.
 *
 * <p>Urgent inputs (an urgent message with deliveries, DESIGN §8) have a lane and a writer of their
 * own: their batches are the urgent inputs waiting, alone, written while a batch of the others may
 * be in progress, so that a freeze waits neither for the hundreds of other inputs queued before it
 * nor for the batch being written in Java (issue 12: p99 &lt; 50 ms from REST to the recipient's
 * queue). In the database the two writers' transactions wait for each other only where they share
 * an order key, and for each other's audit append and commit (the journal's locks, {@link JdbcJournal}).
 * Each lane keeps its arrival order.
 */
public final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private record Pending(List<JournalEntry> entries, CompletableFuture<List<Recorded>> done, boolean urgent,
            long submitted) {
    }

    private final Journal journal;
    private final int maxBatch;
    /** Guards both lanes; the writers wait on it. */
    private final Object lock = new Object();
    private final ArrayDeque<Pending> urgent = new ArrayDeque<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Thread writer;
    private final Thread urgentWriter;
    private volatile boolean running = true;

    /** Starts the writer threads (one for urgent inputs, one for the others). */
    public GroupCommitter(Journal journal, int maxBatch) {
        this.journal = journal;
        this.maxBatch = maxBatch;
        this.writer = new Thread(() -> run(queue), "journal-group-commit");
        this.writer.setDaemon(true);
        this.urgentWriter = new Thread(() -> run(urgent), "journal-urgent-commit");
        this.urgentWriter.setDaemon(true);
        this.writer.start();
        this.urgentWriter.start();
    }

    /**
     * Records the entries in the next batch; the future completes once they are committed (or
     * fails with the transaction's error, in which case nothing of them was recorded).
     */
    public CompletableFuture<List<Recorded>> submit(List<JournalEntry> entries) {
        CompletableFuture<List<Recorded>> done = new CompletableFuture<>();
        if (entries.isEmpty()) {
            done.complete(List.of());
            return done;
        }
        List<JournalEntry> copy = List.copyOf(entries);
        Pending pending = new Pending(copy, done, LatencyTrace.anyUrgent(copy), System.nanoTime());
        if (pending.urgent() && LatencyTrace.on()) {
            copy.stream().filter(LatencyTrace::urgent)
                    .forEach(e -> LatencyTrace.follow(((JournalEntry.Accepted) e).message().messageId()));
        }
        synchronized (lock) {
            if (!running) {
                done.completeExceptionally(new IllegalStateException("the journal is shutting down"));
                return done;
            }
            (pending.urgent() ? urgent : queue).add(pending);
            lock.notifyAll();
        }
        return done;
    }

    /** Records the entries and waits for the commit. */
    public List<Recorded> record(List<JournalEntry> entries) {
        return submit(entries).join();
    }

    private void run(ArrayDeque<Pending> lane) {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                if (!take(lane, batch)) {
                    break;
                }
                if (!batch.isEmpty()) {
                    commit(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        // Whatever could not be written is failed, never silently dropped: its sources stay unacknowledged.
        List<Pending> left = new ArrayList<>();
        synchronized (lock) {
            running = false;
            lock.notifyAll();
            left.addAll(lane);
            lane.clear();
        }
        left.forEach(p -> p.done().completeExceptionally(new IllegalStateException("the journal stopped before recording")));
    }

    /**
     * The next batch of {@code lane} into {@code batch}, up to the maximum; waits up to 100 ms for
     * one. False once stopped with nothing left in the lane.
     */
    private boolean take(ArrayDeque<Pending> lane, List<Pending> batch) throws InterruptedException {
        synchronized (lock) {
            if (lane.isEmpty()) {
                if (!running) {
                    return false;
                }
                lock.wait(100);
            }
            int size = 0;
            while (!lane.isEmpty() && (batch.isEmpty() || size < maxBatch)) {
                Pending next = lane.poll();
                batch.add(next);
                size += next.entries().size();
            }
            return true;
        }
    }

    private void commit(List<Pending> batch) {
        List<JournalEntry> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.entries()));
        List<Recorded> results;
        long start = System.nanoTime();
        try {
            results = journal.record(all);
        } catch (RuntimeException e) {
            LOG.warn("journal batch of {} inputs failed; none recorded: {}", all.size(), e.toString());
            if (batch.size() > 1) {
                // One bad input must not fail its neighbours: record each submitter's inputs alone.
                batch.forEach(p -> commit(List.of(p)));
            } else {
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            return;
        }
        if (LatencyTrace.on()) {
            trace(batch, all.size(), start, System.nanoTime());
        }
        int at = 0;
        for (Pending p : batch) {
            int n = p.entries().size();
            p.done().complete(List.copyOf(results.subList(at, at + n)));
            at += n;
        }
    }

    /** The trace's line for each urgent message of a committed batch: how long it waited, how long the commit took. */
    private static void trace(List<Pending> batch, int entries, long start, long committed) {
        for (Pending p : batch) {
            for (JournalEntry e : p.entries()) {
                if (LatencyTrace.urgent(e)) {
                    LatencyTrace.log("journal", ((JournalEntry.Accepted) e).message().messageId(),
                            "queued", LatencyTrace.ms(p.submitted(), start), "commit", LatencyTrace.ms(start, committed),
                            "batchEntries", entries, "urgentLane", p.urgent());
                }
            }
        }
    }

    /** Stops taking inputs, writes what is waiting, and stops the writer. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
            urgentWriter.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
