package vn.lienthong.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Only the broker's append time reaches the route; a producer's header of the same name never does. */
class LogAppendTimeStamperTest {

    private static final TopicPartition PARTITION = new TopicPartition("lienthong.MOIT.DMS.in", 0);

    @Test
    void aLogAppendTimeRecordGetsItsTimestampAndAForgedHeaderIsReplaced() {
        ConsumerRecord<Object, Object> record = record(TimestampType.LOG_APPEND_TIME, 1_700_000_000_000L, "1");
        stamp(record);
        assertThat(values(record)).containsExactly("1700000000000");
    }

    @Test
    void aCreateTimeRecordGetsNoBrokerTimeAndLosesAForgedOne() {
        ConsumerRecord<Object, Object> record = record(TimestampType.CREATE_TIME, 1_700_000_000_000L, "1700000000000");
        stamp(record);
        assertThat(values(record)).isEmpty();
        ConsumerRecord<Object, Object> untyped = record(TimestampType.NO_TIMESTAMP_TYPE, -1L, null);
        stamp(untyped);
        assertThat(values(untyped)).isEmpty();
    }

    private static void stamp(ConsumerRecord<Object, Object> record) {
        new LogAppendTimeStamper().onConsume(new ConsumerRecords<>(Map.of(PARTITION, List.of(record))));
    }

    private static ConsumerRecord<Object, Object> record(TimestampType type, long timestamp, String forged) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("Authorization", "Bearer x".getBytes(StandardCharsets.UTF_8));
        if (forged != null) {
            headers.add(LogAppendTimeStamper.HEADER, forged.getBytes(StandardCharsets.US_ASCII));
        }
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 0L, timestamp, type, 0, 0, null,
                new byte[0], headers, Optional.empty());
    }

    private static List<String> values(ConsumerRecord<Object, Object> record) {
        List<String> values = new java.util.ArrayList<>();
        for (Header h : record.headers().headers(LogAppendTimeStamper.HEADER)) {
            values.add(new String(h.value(), StandardCharsets.US_ASCII));
        }
        assertThat(record.headers().lastHeader("Authorization")).as("other headers stay").isNotNull();
        return values;
    }
}
