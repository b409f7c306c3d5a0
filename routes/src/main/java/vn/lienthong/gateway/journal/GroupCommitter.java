package vn.lienthong.gateway.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: inputs from many consumer threads are recorded together, one transaction for
 * whatever is waiting (up to a maximum), so the journal commits per batch while each consumer
 * still acknowledges its own source only after its input is durable.
 */
public final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private record Pending(List<JournalEntry> entries, CompletableFuture<List<Recorded>> done) {
    }

    private final Journal journal;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    /** Starts the writer thread. */
    public GroupCommitter(Journal journal, int maxBatch) {
        this.journal = journal;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::run, "journal-group-commit");
        this.writer.setDaemon(true);
        this.writer.start();
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
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the journal is shutting down"));
            return done;
        }
        queue.add(new Pending(List.copyOf(entries), done));
        return done;
    }

    /** Records the entries and waits for the commit. */
    public List<Recorded> record(List<JournalEntry> entries) {
        return submit(entries).join();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.entries().size();
                while (size < maxBatch) {
                    Pending next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    size += next.entries().size();
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        // Whatever could not be written is failed, never silently dropped: its sources stay unacknowledged.
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("the journal stopped before recording"));
        }
    }

    private void commit(List<Pending> batch) {
        List<JournalEntry> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.entries()));
        List<Recorded> results;
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
        int at = 0;
        for (Pending p : batch) {
            int n = p.entries().size();
            p.done().complete(List.copyOf(results.subList(at, at + n)));
            at += n;
        }
    }

    /** Stops taking inputs, writes what is waiting, and stops the writer. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
