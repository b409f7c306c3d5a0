package vn.lienthong.gateway.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import vn.lienthong.connectors.canonical.CanonicalJsonConnector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.identity.Caller;
import vn.lienthong.gateway.identity.Capability;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.policy.Authorizer;
import vn.lienthong.gateway.policy.Deliverability;
import vn.lienthong.gateway.policy.SignaturePolicy;
import vn.lienthong.gateway.receipts.ReceiptFactory;
import vn.lienthong.gateway.receipts.ReceiptKeys;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * Not a test: a JMH-less micro timing of the ingress check path's CPU per message, on the
 * benchmark's own message (the violation notice of BenchMessages, 1,024 bytes), warmed up, measured
 * with the thread's CPU time. Run from the repository root with the routes test class path:
 * {@code java -cp ... vn.lienthong.gateway.ingress.IngressCpuTiming [rounds]}.
 */
public final class IngressCpuTiming {

    private static final String EXAMPLE = "lienthong/examples/v1/violation.notice/valid-minimal-foreign-seller.json";
    private static final int BATCH = 100;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean ALLOC = (com.sun.management.ThreadMXBean) CPU;
    private static long allocatedAt;

    private IngressCpuTiming() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean breakdown = args.length > 1 && args[1].equals("breakdown");
        Path dir = Files.createTempDirectory("ingresscpu");
        Registry registry = Registry.load(Path.of("bench/src/main/resources/bench/agencies.yaml"));
        Connectors connectors = Connectors.of(new CanonicalJsonConnector());
        ReceiptSigner signer = new ReceiptSigner(ReceiptKeys.loadOrGenerate(dir.resolve("receipts.p12"),
                "timing".toCharArray()));
        int max = 5_242_880;
        MessageValidator validator = new MessageValidator();
        IngressPipeline pipeline = new IngressPipeline(connectors, validator, new Authorizer(registry),
                new SignaturePolicy(registry), new DeliveryPlanner(registry), new Deliverability(connectors,
                        Map.of(ChannelKind.REST, max, ChannelKind.JMS, max, ChannelKind.KAFKA, max, ChannelKind.SFTP, max)),
                new ReceiptFactory(Clock.systemUTC(), signer), max);
        IngressRecorder recorder = new IngressRecorder(pipeline, null, Clock.systemUTC(), true);
        Source source = new Source(ChannelKind.JMS, "bench.in", "BENCH.SRC");
        Authentication identity = new Authentication.Authenticated(new Caller("BENCH.SRC", "bench-src",
                Capability.allRoles(), Instant.now().plusSeconds(86_400)));
        String template = template(1024);
        System.out.println("message bytes: " + template.getBytes(StandardCharsets.UTF_8).length);

        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            messages.add(template.replace("00000000-0000-4000-8000-000000000000", UUID.randomUUID().toString())
                    .replace("2000-01-01T00:00:00+07:00", OffsetDateTime.now(ZoneOffset.ofHours(7))
                            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")))
                    .getBytes(StandardCharsets.UTF_8));
        }
        ValidationResult sample = validator.validate(messages.get(0));
        if (!(sample instanceof ValidationResult.Valid)) {
            throw new IllegalStateException("the bench message is not valid: " + sample.errors());
        }
        List<List<JournalEntry>> check = recorder.checkEach(inputs(messages.subList(0, BATCH), identity), source,
                CanonicalJsonConnector.FORMAT);
        if (!(check.get(0).get(0) instanceof JournalEntry.Accepted)) {
            throw new IllegalStateException("the bench message is not accepted: " + check.get(0).get(0));
        }

        for (int round = 0; round < rounds; round++) {
            boolean warm = round >= rounds / 2;
            String tag = warm ? "warm" : "warm-up";
            // validate alone
            allocatedAt = ALLOC.getCurrentThreadAllocatedBytes();
            long t0 = CPU.getCurrentThreadCpuTime();
            int n = 0;
            for (int k = 0; k < 5; k++) {
                for (byte[] m : messages) {
                    validator.validate(m);
                    n++;
                }
            }
            report(tag, "MessageValidator.validate", CPU.getCurrentThreadCpuTime() - t0, n);
            if (breakdown) {
                breakdown(tag, messages);
            }
            // the JMS check step: checkEach over batches of 100 (validation, authorization, plan, receipts, one signature)
            t0 = CPU.getCurrentThreadCpuTime();
            n = 0;
            List<JournalEntry.Accepted> accepted = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                for (int from = 0; from < messages.size(); from += BATCH) {
                    List<List<JournalEntry>> each = recorder.checkEach(inputs(messages.subList(from, from + BATCH),
                            identity), source, CanonicalJsonConnector.FORMAT);
                    n += BATCH;
                    if (k == 0) {
                        each.forEach(e -> accepted.add((JournalEntry.Accepted) e.get(0)));
                    }
                }
            }
            report(tag, "IngressRecorder.checkEach (batch 100)", CPU.getCurrentThreadCpuTime() - t0, n);
            // the journal's audit entry of each accepted message (JdbcJournal.acceptedEntry's detail)
            t0 = CPU.getCurrentThreadCpuTime();
            n = 0;
            for (int k = 0; k < 5; k++) {
                long seq = 1;
                for (JournalEntry.Accepted a : accepted) {
                    auditEntry(a, seq++);
                    n++;
                }
            }
            report(tag, "AuditEntry.of (accepted)", CPU.getCurrentThreadCpuTime() - t0, n);
        }
    }

    /** The validator's steps one by one: strict read, schema, rules, binding. */
    private static void breakdown(String tag, List<byte[]> messages) throws Exception {
        vn.lienthong.schemas.input.StrictInput input = new vn.lienthong.schemas.input.StrictInput(5_242_880, 64);
        vn.lienthong.schemas.rules.BusinessRules rules = new vn.lienthong.schemas.rules.BusinessRules(
                vn.lienthong.schemas.ValidatorSettings.defaults());
        var catalog = vn.lienthong.schemas.SchemaCatalog.get();
        List<com.fasterxml.jackson.databind.JsonNode> trees = new ArrayList<>();
        allocatedAt = ALLOC.getCurrentThreadAllocatedBytes();
        long t0 = CPU.getCurrentThreadCpuTime();
        for (byte[] m : messages) {
            trees.add(input.json(m));
        }
        report(tag, "  StrictInput.json", CPU.getCurrentThreadCpuTime() - t0, messages.size());
        t0 = CPU.getCurrentThreadCpuTime();
        for (var tree : trees) {
            catalog.envelopeFor(tree).validate(tree);
        }
        report(tag, "  schema (networknt)", CPU.getCurrentThreadCpuTime() - t0, messages.size());
        t0 = CPU.getCurrentThreadCpuTime();
        for (var tree : trees) {
            rules.apply((ObjectNode) tree);
        }
        report(tag, "  BusinessRules.apply", CPU.getCurrentThreadCpuTime() - t0, messages.size());
        t0 = CPU.getCurrentThreadCpuTime();
        for (var tree : trees) {
            CanonicalJson.mapper().treeToValue(tree, Envelope.class);
        }
        report(tag, "  treeToValue(Envelope)", CPU.getCurrentThreadCpuTime() - t0, messages.size());
        t0 = CPU.getCurrentThreadCpuTime();
        for (var tree : trees) {
            CanonicalJson.mapper().writeValueAsBytes(tree);
        }
        report(tag, "  canonical bytes of the tree", CPU.getCurrentThreadCpuTime() - t0, messages.size());
    }

    private static void report(String tag, String what, long nanos, int n) {
        long bytes = ALLOC.getCurrentThreadAllocatedBytes();
        System.out.printf("%-8s %-40s %8.1f µs/msg %8.1f KB/msg allocated%n", tag, what, nanos / 1000.0 / n,
                (bytes - allocatedAt) / 1024.0 / n);
        allocatedAt = ALLOC.getCurrentThreadAllocatedBytes();
    }

    private static List<IngressRecorder.Input> inputs(List<byte[]> bodies, Authentication identity) {
        List<IngressRecorder.Input> inputs = new ArrayList<>(bodies.size());
        bodies.forEach(b -> inputs.add(new IngressRecorder.Input(b, identity)));
        return inputs;
    }

    /** As JdbcJournal.acceptedEntry builds it. */
    private static AuditEntry auditEntry(JournalEntry.Accepted a, long seq) {
        Envelope m = a.message();
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (PlannedDelivery d : a.deliveries()) {
            deliveries.add(Map.of("deliveryId", d.id(), "recipient", d.recipient(), "channel", d.channel().yamlName()));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("messageId", m.messageId());
        detail.put("messageSeq", seq);
        detail.put("sender", m.sender());
        detail.put("type", m.type().wireName());
        detail.put("recipients", m.recipients());
        detail.put("priority", "normal");
        detail.put("classification", "internal");
        detail.put("channel", a.source().channel().yamlName());
        detail.put("inputSha256", a.inputSha256());
        detail.put("signature", Map.of("status", "not_applicable"));
        detail.put("deliveries", deliveries);
        return AuditEntry.of(m.sender(), AuditAction.MESSAGE_ACCEPTED, m.messageId(), detail);
    }

    /** BenchMessages.of's template: the example from BENCH.SRC to BENCH.DST, padded to the size. */
    private static String template(int targetBytes) throws Exception {
        try (InputStream in = IngressCpuTiming.class.getClassLoader().getResourceAsStream(EXAMPLE)) {
            ObjectNode notice = (ObjectNode) CanonicalJson.mapper().readTree(in);
            notice.put("messageId", "00000000-0000-4000-8000-000000000000");
            notice.put("sender", "BENCH.SRC");
            notice.putArray("recipients").add("BENCH.DST");
            notice.put("createdAt", "2000-01-01T00:00:00+07:00");
            ObjectNode payload = (ObjectNode) notice.get("payload");
            String description = payload.get("description").asText();
            int size = CanonicalJson.mapper().writeValueAsBytes(notice).length;
            if (size < targetBytes) {
                String pad = " Nội dung đệm cho phép đo tải (benchmark padding).";
                StringBuilder padded = new StringBuilder(description);
                padded.append(pad);
                int missing = targetBytes - size - pad.getBytes(StandardCharsets.UTF_8).length;
                while (missing > 0) {
                    padded.append(missing > 1 ? " x" : "x");
                    missing -= missing > 1 ? 2 : 1;
                }
                payload.put("description", padded.toString());
            }
            return CanonicalJson.mapper().writeValueAsString(notice);
        }
    }
}
