package vn.lienthong.gateway.channels;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * A Kafka consumer interceptor on the agencies' inbound topics that puts the broker's append time
 * of each record in header {@value #HEADER} (decimal epoch milliseconds), and only when the
 * record's timestamp type is {@code LogAppendTime} (the topic has
 * {@code message.timestamp.type=LogAppendTime}, so the broker, not the producer, set it). Camel
 * passes the timestamp on, but not its type: this is where the type is still known. A header of
 * that name sent by a producer is removed first, so it cannot be forged.
 */
public final class LogAppendTimeStamper implements ConsumerInterceptor<Object, Object> {

    /** The header that carries the broker's append time to the route. */
    public static final String HEADER = "LienthongLogAppendTime";

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        for (ConsumerRecord<Object, Object> record : records) {
            record.headers().remove(HEADER);
            if (record.timestampType() == TimestampType.LOG_APPEND_TIME) {
                record.headers().add(HEADER, Long.toString(record.timestamp()).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // Nothing to add to commits.
    }

    @Override
    public void close() {
        // Holds nothing.
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // No settings.
    }
}
