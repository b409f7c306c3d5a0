package vn.lienthong.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.v1.Priority;

/** The group commit on a real PostgreSQL: batches of what waits, urgent inputs in a lane (and writer) of their own. */
class GroupCommitterTest {

    @Test
    void anUrgentInputIsCommittedAloneWhileABatchIsInProgressAheadOfTheInputsQueuedBeforeIt() throws Exception {
        JdbcJournal journal = new JdbcJournal(TestDatabase.clean());
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<UUID>> batches = new CopyOnWriteArrayList<>();
        // The real journal, its first batch held until the others are queued behind it.
        Journal held = batch -> {
            batches.add(batch.stream().map(e -> ((JournalEntry.Accepted) e).message().messageId()).toList());
            if (batches.size() == 1) {
                firstStarted.countDown();
                await(release);
            }
            return journal.record(batch);
        };
        JournalEntry.Accepted first = Entries.accepted("PROV.79", UUID.randomUUID(), "r0", Entries.push("SBV", null));
        JournalEntry.Accepted normal1 = Entries.accepted("PROV.79", UUID.randomUUID(), "r1", Entries.push("SBV", null));
        JournalEntry.Accepted normal2 = Entries.accepted("PROV.79", UUID.randomUUID(), "r2", Entries.push("SBV", null));
        JournalEntry.Accepted urgent = Entries.accepted(Entries.envelope(UUID.randomUUID(), "MPS.C03", List.of("SBV"),
                null, Priority.URGENT), "ru", Entries.push("SBV", null));

        try (GroupCommitter committer = new GroupCommitter(held, 500)) {
            CompletableFuture<List<Recorded>> f0 = committer.submit(List.of(first));
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).as("the first batch started").isTrue();
            CompletableFuture<List<Recorded>> f1 = committer.submit(List.of(normal1));
            CompletableFuture<List<Recorded>> f2 = committer.submit(List.of(normal2));
            CompletableFuture<List<Recorded>> fu = committer.submit(List.of(urgent));
            assertThat(fu.get(30, TimeUnit.SECONDS)).as("recorded while the first batch is still held")
                    .singleElement().isInstanceOf(Recorded.Accepted.class);
            assertThat(f0).isNotDone();
            release.countDown();

            assertThat(List.of(f0, f1, f2, fu)).allSatisfy(f -> assertThat(f.get(30, TimeUnit.SECONDS))
                    .singleElement().isInstanceOf(Recorded.Accepted.class));
            assertThat(batches).containsExactly(List.of(first.message().messageId()),
                    List.of(urgent.message().messageId()),
                    List.of(normal1.message().messageId(), normal2.message().messageId()));
            long urgentSeq = ((Recorded.Accepted) fu.get().get(0)).seq();
            assertThat(urgentSeq).as("the urgent input committed first")
                    .isLessThan(((Recorded.Accepted) f0.get().get(0)).seq())
                    .isLessThan(((Recorded.Accepted) f1.get().get(0)).seq());
        }
    }

    @Test
    void whatIsSubmittedAfterCloseFailsInsteadOfWaitingForever() {
        GroupCommitter committer = new GroupCommitter(new JdbcJournal(TestDatabase.clean()), 500);
        committer.close();
        CompletableFuture<List<Recorded>> late = committer.submit(List.of(
                Entries.accepted("PROV.79", UUID.randomUUID(), "r", Entries.push("SBV", null))));
        assertThat(late).isCompletedExceptionally();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
