package vn.lienthong.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lienthong.gateway.testsupport.TestStack;

/** The embedded stack's servers are real and behave as the gateway needs: durable, confined, restartable. */
class EmbeddedStackTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long RECEIVE_MS = 10_000;
    private static final List<String> AGENCY_FOLDER = List.of("done", "error", "inbox", "outbox");

    private static TestStack test;
    private static EmbeddedStack stack;

    @BeforeAll
    static void startStack() {
        test = TestStack.get();
        stack = test.stack();
    }

    // ---------------------------------------------------------------- Artemis

    @Test
    void artemisSendsAndReceivesPersistentTransactedMessages() throws Exception {
        String queue = "lienthong.test." + UUID.randomUUID();
        try (ActiveMQConnectionFactory factory = test.jmsConnectionFactory()) {
            send(factory, queue, "hello");
            assertThat(receive(factory, queue)).isEqualTo("hello");
            // Consumed and committed: it is gone.
            assertThat(receive(factory, queue, 200)).isNull();
        }
    }

    @Test
    void artemisMovesAMessageToTheDeadLetterQueueAfterTheLastAttempt() throws Exception {
        String queue = "lienthong.test." + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        try (ActiveMQConnectionFactory factory = test.jmsConnectionFactory();
                Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            TextMessage poison = session.createTextMessage("poison");
            poison.setStringProperty("testId", id);
            producer.send(poison, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
            session.commit();

            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            for (int attempt = 1; attempt <= EmbeddedStack.ARTEMIS_MAX_DELIVERY_ATTEMPTS; attempt++) {
                Message message = consumer.receive(RECEIVE_MS);
                assertThat(message).as("delivery %d", attempt).isNotNull();
                assertThat(message.getIntProperty("JMSXDeliveryCount")).isEqualTo(attempt);
                session.rollback();
            }
            assertThat(consumer.receive(200)).isNull();
            consumer.close();

            // The DLQ is shared by every test class: take only this test's message.
            MessageConsumer dlq = session.createConsumer(session.createQueue(EmbeddedStack.ARTEMIS_DLQ), "testId = '" + id + "'");
            Message dead = dlq.receive(RECEIVE_MS);
            assertThat(dead).isNotNull();
            assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
            session.commit();
        }
    }

    @Test
    void artemisKeepsPersistentMessagesAcrossARestartOnTheSamePort() throws Exception {
        String queue = "lienthong.test." + UUID.randomUUID();
        String url = stack.artemisUrl();
        try (ActiveMQConnectionFactory factory = test.jmsConnectionFactory()) {
            send(factory, queue, "survives");
            stack.stopArtemis();
            try {
                assertThat(stack.artemisRunning()).isFalse();
                assertThatThrownBy(() -> factory.createConnection().close()).isInstanceOf(JMSException.class);
            } finally {
                stack.startArtemis();
            }
            assertThat(stack.artemisUrl()).isEqualTo(url);
        }
        // A new factory: the old one's connection pool saw the broker go away.
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url)) {
            assertThat(receive(factory, queue)).isEqualTo("survives");
        }
        assertThat(Files.isDirectory(stack.options().dataDir().resolve("artemis/journal"))).isTrue();
    }

    private static void send(ConnectionFactory factory, String queue, String text) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(session.createTextMessage(text));
            session.commit();
        }
    }

    private static String receive(ConnectionFactory factory, String queue) throws JMSException {
        return receive(factory, queue, RECEIVE_MS);
    }

    private static String receive(ConnectionFactory factory, String queue, long timeoutMs) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Message message = session.createConsumer(session.createQueue(queue)).receive(timeoutMs);
            session.commit();
            return message == null ? null : ((TextMessage) message).getText();
        }
    }

    // ---------------------------------------------------------------- Kafka

    @Test
    void kafkaProducesAndConsumesOnAnAutoCreatedTopic() throws Exception {
        String topic = "lienthong.test." + UUID.randomUUID();
        byte[] value = "{\"hello\":\"kafka\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = test.kafkaProducer();
                KafkaConsumer<byte[], byte[]> consumer = test.kafkaConsumer()) {
            producer.send(new ProducerRecord<>(topic, "key".getBytes(StandardCharsets.UTF_8), value)).get();
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo(value);
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("key");
            });
        }
    }

    @Test
    void kafkaCreatesTopicsOnRequestAndToleratesExistingOnes() throws Exception {
        String topic = "lienthong.test." + UUID.randomUUID();
        stack.createTopics(topic);
        stack.createTopics(topic);
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            assertThat(admin.listTopics().names().get()).contains(topic);
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                    .hasSize(stack.options().kafkaPartitions());
        }
    }

    @Test
    void kafkaRestartsOnTheSamePortWithItsTopics(@TempDir Path dir) throws Exception {
        // A stack of its own with only Kafka started: restarting the shared one would drop the
        // topics of other test classes.
        try (EmbeddedStack own = new EmbeddedStack(EmbeddedStack.Options.builder(dir).build())) {
            own.startKafka();
            assertThat(own.artemisRunning() || own.sftpRunning() || own.postgresRunning()).isFalse();
            String bootstrap = own.kafkaBootstrap();
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + own.kafkaPort());
            String before = "lienthong.test.before";
            own.createTopics(before);

            own.stopKafka();
            own.startKafka();

            assertThat(own.kafkaBootstrap()).isEqualTo(bootstrap);
            try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.describeCluster().nodes().get())
                        .singleElement().satisfies(node -> assertThat(node.host()).isEqualTo("127.0.0.1"));
                // The log directory under the data folder is kept: the topic is still there.
                assertThat(admin.listTopics().names().get()).contains(before);
            }
        }
    }

    // ---------------------------------------------------------------- SFTP

    @Test
    void sftpAgencyUploadIsSeenByTheGatewayUnderTheAgencyFolder() {
        String name = "notice-" + UUID.randomUUID() + ".json";
        try (TestStack.Sftp prov37 = test.sftp("prov-37")) {
            prov37.upload("inbox/" + name, "{\"from\":\"PROV.37\"}");
            assertThat(prov37.list("inbox")).contains(name);
        }
        try (TestStack.Sftp gateway = test.sftp(TestStack.GATEWAY_USER)) {
            assertThat(gateway.list("/")).contains("mof-tax", "moit-dms", "prov-37");
            assertThat(gateway.list("prov-37/inbox")).contains(name);
            assertThat(gateway.readString("prov-37/inbox/" + name)).isEqualTo("{\"from\":\"PROV.37\"}");
        }
        assertThat(stack.sftpRoot().resolve("prov-37/inbox/" + name)).exists();
    }

    @Test
    void sftpAgencyUserIsConfinedToItsOwnFolder() throws Exception {
        String climb = "climb-" + UUID.randomUUID() + ".txt";
        try (TestStack.Sftp prov37 = test.sftp("prov-37")) {
            // "../" stops at its own root: a file written "above" it lands in its own folder.
            prov37.upload("../../" + climb, "x");
            assertThat(stack.sftpRoot().resolve("prov-37").resolve(climb)).exists();
            assertThat(stack.sftpRoot().resolve(climb)).doesNotExist();
            prov37.client().remove("/" + climb);

            // Its root is its own folder: the other agencies' folders do not exist for it.
            assertThat(prov37.list("/")).containsExactlyElementsOf(AGENCY_FOLDER);
            assertThat(prov37.list("..")).containsExactlyElementsOf(AGENCY_FOLDER);
            assertThat(prov37.list("/../..")).containsExactlyElementsOf(AGENCY_FOLDER);
            assertThatThrownBy(() -> prov37.list("/mof-tax")).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> prov37.list("../mof-tax/inbox")).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> prov37.read("../mof-tax/inbox/anything.csv")).isInstanceOf(UncheckedIOException.class);

            // A write aimed outside lands nowhere outside: it fails, as the target folder is not in its jail.
            assertThatThrownBy(() -> prov37.upload("../mof-tax/inbox/escape.csv", "x"))
                    .isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> prov37.upload("/../../mof-tax/inbox/escape.csv", "x"))
                    .isInstanceOf(UncheckedIOException.class);
        }
        try (Stream<Path> files = Files.walk(stack.options().dataDir())) {
            assertThat(files.filter(path -> path.getFileName().toString().contains("escape"))).isEmpty();
        }
    }

    @Test
    void sftpRefusesWrongPasswordsAndUnknownUsers() {
        assertThatThrownBy(() -> test.sftp("prov-37", "wrong")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> test.sftp("prov-37", TestStack.password("mof-tax"))).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> test.sftp("nobody", "nobody-secret")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> test.sftp(TestStack.GATEWAY_USER, TestStack.GATEWAY_PASSWORD.toUpperCase()))
                .isInstanceOf(UncheckedIOException.class);
        try (TestStack.Sftp ok = test.sftp("prov-37")) {
            assertThat(ok.list("/")).containsExactlyElementsOf(AGENCY_FOLDER);
        }
    }

    @Test
    void sftpUsersCanBeAddedWhileRunning() {
        String user = "agency-" + UUID.randomUUID().toString().substring(0, 8);
        assertThatThrownBy(() -> test.sftp(user)).isInstanceOf(UncheckedIOException.class);
        test.ensureSftpUser(user);
        try (TestStack.Sftp sftp = test.sftp(user)) {
            assertThat(sftp.list("/")).containsExactlyElementsOf(AGENCY_FOLDER);
        }
        assertThat(stack.sftpRoot().resolve(user).resolve("inbox")).isDirectory();
    }

    // ---------------------------------------------------------------- PostgreSQL

    @Test
    void postgresAnswersOnTheLienthongDatabaseDurably() throws Exception {
        try (java.sql.Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement statement = db.createStatement()) {
            assertThat(single(statement, "select 1")).isEqualTo("1");
            assertThat(single(statement, "select current_database()")).isEqualTo("lienthong");
            // zonky turns these off by default; the gateway acknowledges after commit, so they must be on.
            assertThat(single(statement, "show fsync")).isEqualTo("on");
            assertThat(single(statement, "show synchronous_commit")).isEqualTo("on");
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    // ---------------------------------------------------------------- restarts of the others

    @Test
    void postgresAndSftpRestartOnTheSamePortWithTheirData() throws Exception {
        String table = "restart_" + UUID.randomUUID().toString().replace("-", "");
        try (java.sql.Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement statement = db.createStatement()) {
            statement.execute("create table " + table + " (v text)");
            statement.execute("insert into " + table + " values ('kept')");
        }
        String file = "batch-" + UUID.randomUUID() + ".csv";
        try (TestStack.Sftp tax = test.sftp("mof-tax")) {
            tax.upload("inbox/" + file, "ma_so_thue;ten\n0101234567;A\n");
        }

        stack.stopPostgres();
        stack.stopSftp();
        try {
            assertThatThrownBy(() -> DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword()).close())
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> test.sftp("mof-tax")).isInstanceOf(UncheckedIOException.class);
        } finally {
            stack.startPostgres();
            stack.startSftp();
        }

        try (java.sql.Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement statement = db.createStatement()) {
            assertThat(single(statement, "select v from " + table)).isEqualTo("kept");
            statement.execute("drop table " + table);
        }
        try (TestStack.Sftp tax = test.sftp("mof-tax")) {
            assertThat(tax.list("inbox")).contains(file);
        }
    }

    // ---------------------------------------------------------------- what the gateway is given

    @Test
    void springPropertiesHoldWorkingAddresses() throws Exception {
        Map<String, Object> props = stack.springProperties();
        assertThat(props).containsEntry("spring.artemis.mode", "native");

        try (java.sql.Connection db = DriverManager.getConnection((String) props.get("spring.datasource.url"),
                (String) props.get("spring.datasource.username"), (String) props.get("spring.datasource.password"));
                Statement statement = db.createStatement()) {
            assertThat(single(statement, "select 1")).isEqualTo("1");
        }

        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory((String) props.get("spring.artemis.broker-url"))) {
            String queue = "lienthong.test." + UUID.randomUUID();
            send(factory, queue, "via properties");
            assertThat(receive(factory, queue)).isEqualTo("via properties");
        }

        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                props.get("camel.component.kafka.brokers")))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        assertThat(props.get("spring.kafka.bootstrap-servers")).isEqualTo(props.get("camel.component.kafka.brokers"));
        // The receipt signing key is generated once in the data dir, so it outlives gateway restarts.
        assertThat((String) props.get("lienthong.receipts.key-store"))
                .startsWith(stack.options().dataDir().toAbsolutePath().toString());
        assertThat(props).containsEntry("lienthong.receipts.generate", "true");

        try (TestStack.Sftp gateway = test.sftp((String) props.get("lienthong.sftp.host"),
                (Integer) props.get("lienthong.sftp.port"), (String) props.get("lienthong.sftp.username"),
                (String) props.get("lienthong.sftp.password"))) {
            assertThat(gateway.list("/")).contains("mof-tax", "prov-37", "moit-dms");
        }
    }

    @Test
    void describeNamesEveryEndpointButNoPassword() {
        String text = stack.describe();
        assertThat(text)
                .contains(stack.artemisUrl())
                .contains(stack.kafkaBootstrap())
                .contains("sftp://127.0.0.1:" + stack.sftpPort())
                .contains(stack.jdbcUrl())
                .contains("prov-37", "mof-tax", "moit-dms", TestStack.GATEWAY_USER)
                .doesNotContain(TestStack.GATEWAY_PASSWORD, TestStack.password("prov-37"));
        assertThat(text.lines()).hasSizeGreaterThan(5);
        assertThat(stack.options().toString()).doesNotContain(TestStack.GATEWAY_PASSWORD);
    }

    @Test
    void aComponentThatCannotStartStopsTheOthersThatDid(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedStack own = new EmbeddedStack(EmbeddedStack.Options.builder(dir)
                    .sftpPort(taken.getLocalPort()).build());
            assertThatThrownBy(own::start).hasMessageContaining("SFTP");
            assertThat(List.of(own.artemisRunning(), own.kafkaRunning(), own.sftpRunning(), own.postgresRunning()))
                    .containsOnly(false);
            own.close();
        }
    }

    @Test
    void brokersWhosePortIsTakenFailToStartInsteadOfRunningDeaf(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                EmbeddedStack own = new EmbeddedStack(EmbeddedStack.Options.builder(dir)
                        .artemisPort(taken.getLocalPort()).kafkaPort(taken.getLocalPort()).build())) {
            // Artemis by itself only logs an acceptor it cannot bind, and runs on without it.
            assertThatThrownBy(own::startArtemis).hasMessageContaining(own.artemisUrl());
            assertThat(own.artemisRunning()).isFalse();
            assertThatThrownBy(own::startKafka).isInstanceOf(IllegalStateException.class);
            assertThat(own.kafkaRunning()).isFalse();
        }
    }

    // ---------------------------------------------------------------- options

    @Test
    void optionsKeepFoldersDirectlyUnderTheRoot() {
        Path dir = Path.of("target", "unused");
        for (String folder : List.of("../etc", "a/b", "..", ".", "", "/abs")) {
            assertThatThrownBy(() -> EmbeddedStack.Options.builder(dir).sftpUser("x", "p", folder).build())
                    .as(folder).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> EmbeddedStack.Options.builder(dir).gatewaySftp("gateway", "g")
                .sftpUser("gateway", "p", "gateway").build()).isInstanceOf(IllegalArgumentException.class);
        EmbeddedStack.Options options = EmbeddedStack.Options.builder(dir).sftpUsers(Map.of("prov-01", "s")).build();
        assertThat(options.sftpFolders()).containsEntry("prov-01", "prov-01");
        assertThat(options.dataDir()).isAbsolute();
    }
}
