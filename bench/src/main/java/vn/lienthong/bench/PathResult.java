package vn.lienthong.bench;

import java.util.Arrays;

/**
 * What one path did in one run.
 *
 * @param name "raw pass-through" or "gateway"
 * @param messages messages sent
 * @param arrived distinct messages that arrived on Kafka
 * @param duplicates arrivals of a message already counted (at-least-once redelivery)
 * @param rate the headline messages/s, over {@code window}
 * @param window what the headline rate is measured over
 * @param rateFromFirstSend messages/s from the first send to the last arrival
 * @param rateBetweenArrivals messages/s from the first arrival to the last
 * @param producerRate messages/s the load producer committed to the queue
 * @param latencyMillis p50, p99 and max of Kafka record timestamp minus JMSTimestamp, sorted; empty if none
 * @param failure why the run of this path failed, or null
 */
record PathResult(
        String name,
        int messages,
        int arrived,
        int duplicates,
        double rate,
        String window,
        double rateFromFirstSend,
        double rateBetweenArrivals,
        double producerRate,
        long[] latencyMillis,
        String failure) {

    /** Whether every message arrived. */
    boolean complete() {
        return failure == null && arrived == messages;
    }

    /** The nearest-rank percentile of the latencies, or -1 if there are none. */
    long percentile(double p) {
        return percentile(latencyMillis, p);
    }

    /** The nearest-rank percentile of sorted values, or -1 if there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    long maxLatency() {
        return latencyMillis.length == 0 ? -1 : latencyMillis[latencyMillis.length - 1];
    }

    /** Sorted latencies of the messages that arrived: record timestamp minus JMSTimestamp, in ms. */
    static long[] latencies(long[] jmsTimestamps, long[] recordTimestamps) {
        long[] all = new long[recordTimestamps.length];
        int n = 0;
        for (int i = 0; i < recordTimestamps.length; i++) {
            if (recordTimestamps[i] >= 0 && jmsTimestamps[i] > 0) {
                all[n++] = recordTimestamps[i] - jmsTimestamps[i];
            }
        }
        long[] sorted = Arrays.copyOf(all, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Messages per second over an interval of nanoTime, or NaN if the interval is unknown. */
    static double rate(int messages, long fromNanos, long toNanos) {
        if (fromNanos == 0 || toNanos == 0 || toNanos <= fromNanos) {
            return Double.NaN;
        }
        return messages / ((toNanos - fromNanos) / 1e9);
    }
}
