package vn.lienthong.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The SFTP endpoints check the server's host key; without a known_hosts file the gateway does not build them. */
class ChannelEndpointsTest {

    private static GatewaySettings settings(String knownHosts) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("lienthong.sftp.host", "sftp.example");
        map.put("lienthong.sftp.password", "secret");
        if (knownHosts != null) {
            map.put("lienthong.sftp.known-hosts-file", knownHosts);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("lienthong", GatewaySettings.class);
    }

    @Test
    void sftpEndpointsCheckTheHostKeyAgainstTheConfiguredFile() {
        ChannelEndpoints endpoints = new ChannelEndpoints(settings("/etc/lienthong/sftp_known_hosts"));

        for (String uri : new String[] {endpoints.sftpInbox("prov-37"), endpoints.sftpWrite("prov-37", "outbox")}) {
            assertThat(uri).startsWith("sftp://sftp.example:2222/prov-37/")
                    .contains("strictHostKeyChecking=yes")
                    .contains("knownHostsFile=%2Fetc%2Flienthong%2Fsftp_known_hosts")
                    .contains("useUserKnownHostsFile=false")
                    .doesNotContain("strictHostKeyChecking=no");
        }
    }

    @Test
    void kafkaReadsRecordsAsBytesAndSendsWhatTheKafkaChannelLimitLetsIn() {
        ChannelEndpoints endpoints = new ChannelEndpoints(settings(null));
        assertThat(endpoints.kafkaInbound("lienthong.MPS.C03.in"))
                .contains("valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
                .contains("keyDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer");
        // Defaults: 983,040 bytes of body plus 64 KiB of headers and overhead = Kafka's own 1 MiB.
        assertThat(endpoints.kafkaOutbound("lienthong.MPS.C03.out")).contains("maxRequestSize=1048576");
        assertThat(endpoints.jmsInbound("lienthong.SBV.in")).as("the JMS message itself, unconverted")
                .contains("mapJmsMessage=false");
        Map<String, String> map = new LinkedHashMap<>();
        map.put("lienthong.channel-limits.kafka", "4000000");
        GatewaySettings larger = new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("lienthong",
                GatewaySettings.class);
        assertThat(new ChannelEndpoints(larger).kafkaOutbound("t")).contains("maxRequestSize=" + (4_000_000 + 65_536));
    }

    @Test
    void withoutAKnownHostsFileNoSftpEndpointIsBuilt() {
        ChannelEndpoints endpoints = new ChannelEndpoints(settings(null));

        assertThatThrownBy(() -> endpoints.sftpInbox("prov-37"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lienthong.sftp.known-hosts-file")
                .hasMessageContaining("LIENTHONG_SFTP_KNOWN_HOSTS");
    }

    @Test
    void queuedInputsAreAcknowledgedOnlyByTheirRoutesAndDeliveriesAreDurable() {
        ChannelEndpoints endpoints = new ChannelEndpoints(settings("/etc/lienthong/sftp_known_hosts"));

        assertThat(endpoints.jmsInbound("flow.SBV.in")).startsWith("jms://queue:flow.SBV.in?")
                .contains("transacted=true", "concurrentConsumers=16", "maxConcurrentConsumers=16");
        assertThat(endpoints.jmsInboundBatches("flow.SBV.in"))
                .isEqualTo("jms-batch:flow.SBV.in?size=500&timeoutMillis=50&consumers=4");
        assertThat(endpoints.jmsOutbound("flow.SBV.out")).startsWith("jms://queue:flow.SBV.out?")
                .contains("deliveryPersistent=true", "jmsMessageType=Text");
        assertThat(endpoints.kafkaInbound("flow.MPS.C03.in")).startsWith("kafka://flow.MPS.C03.in?")
                .contains("autoCommitEnable=false", "allowManualCommit=true", "breakOnFirstError=true", "batching=true",
                        "groupId=lienthong-gateway", "maxPollRecords=500",
                        "interceptorClasses=" + LogAppendTimeStamper.class.getName());
        assertThat(endpoints.kafkaOutbound("flow.MPS.C03.out")).startsWith("kafka://flow.MPS.C03.out?")
                .contains("requestRequiredAcks=all");
    }
}
