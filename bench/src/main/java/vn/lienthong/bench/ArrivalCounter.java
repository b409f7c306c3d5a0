package vn.lienthong.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the distinct messages arriving on a Kafka topic (from its end at construction), keeping
 * each one's record timestamp (CreateTime: when the forwarder or gateway sent it) for latencies.
 */
final class ArrivalCounter {

    /** Which message of the run a record is: its sequence number, or -1 if it is none of them. */
    @FunctionalInterface
    interface Identifier {
        int seq(ConsumerRecord<byte[], byte[]> record);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Identifier identifier;
    private final long[] recordTimestamps;
    private final AtomicInteger distinct = new AtomicInteger();
    private final Thread thread;
    private volatile int duplicates;
    private volatile int unknown;
    private volatile long firstArrivalNanos;
    private volatile long lastArrivalNanos;
    private volatile Throwable failure;
    private volatile boolean stop;

    /** Assigned to every partition of the topic, at its current end; call before anything is sent. */
    ArrivalCounter(String bootstrap, String topic, int messages, Identifier identifier) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // As a recipient reads the gateway's transactional deliveries: a record of an aborted (or
        // timed-out) transaction is not an arrival, and counting it would report a false duplicate.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.identifier = identifier;
        this.recordTimestamps = new long[messages];
        Arrays.fill(recordTimestamps, -1);
        // Manual assignment: no group to join, so the first arrivals are not delayed by a rebalance.
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
        this.thread = new Thread(this::run, "bench-counter-" + topic);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (distinct.get() < recordTimestamps.length && !stop) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                long now = System.nanoTime();
                int fresh = 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    int seq = identifier.seq(record);
                    if (seq < 0 || seq >= recordTimestamps.length) {
                        unknown++;
                    } else if (recordTimestamps[seq] >= 0) {
                        duplicates++;
                    } else {
                        recordTimestamps[seq] = record.timestamp();
                        fresh++;
                    }
                }
                if (fresh > 0) {
                    if (firstArrivalNanos == 0) {
                        firstArrivalNanos = now;
                    }
                    lastArrivalNanos = now;
                    distinct.addAndGet(fresh);
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Distinct messages arrived so far. */
    int distinct() {
        return distinct.get();
    }

    int duplicates() {
        return duplicates;
    }

    /** Records on the topic that are not messages of this run. */
    int unknown() {
        return unknown;
    }

    long firstArrivalNanos() {
        return firstArrivalNanos;
    }

    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Why counting stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    /** Each message's Kafka record timestamp by sequence number, -1 if it did not arrive; after {@link #stopAndJoin}. */
    long[] recordTimestamps() {
        return recordTimestamps;
    }

    /** Stops counting (if not done) and waits for the thread, which closes the consumer. */
    void stopAndJoin(long millis) throws InterruptedException {
        stop = true;
        thread.join(millis);
    }
}
