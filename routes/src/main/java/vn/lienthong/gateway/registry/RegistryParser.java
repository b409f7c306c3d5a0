package vn.lienthong.gateway.registry;

import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.ids.Provinces;

/**
 * Reads {@code agencies.yaml} through SnakeYAML's node tree (not its object constructor) so that
 * every value keeps its line, and collects every problem before giving up.
 *
 * <p>Scalars are taken as written: {@code 01} stays "01", {@code no} stays "no".
 */
final class RegistryParser {

    /** Which two-digit province codes are current (Decision 19/2025/QĐ-TTg). */
    static final Predicate<String> CURRENT_PROVINCES = Provinces::isCurrent;

    private static final List<String> TOP_KEYS = List.of("formats", "templates", "agencies");
    private static final List<String> FORMAT_KEYS = List.of("name", "mediaType", "description", "carries");
    private static final List<String> AGENCY_KEYS =
            List.of("code", "name", "organId", "keycloakClient", "sends", "receives", "channels", "retry");
    private static final List<String> NAME_KEYS = List.of("vi", "en");
    private static final Map<ChannelKind, List<String>> CHANNEL_KEYS = new EnumMap<>(Map.of(
            ChannelKind.REST, List.of("kind", "format", "delivery", "url", "signatures"),
            ChannelKind.JMS, List.of("kind", "format", "inbound", "outbound", "signatures"),
            ChannelKind.KAFKA, List.of("kind", "format", "inbound", "outbound", "signatures"),
            ChannelKind.SFTP, List.of("kind", "format", "folder", "signatures")));
    private static final List<String> ALL_CHANNEL_KEYS = CHANNEL_KEYS.values().stream()
            .flatMap(List::stream).distinct().toList();

    private final String file;
    private final Predicate<String> isCurrentProvince;
    private final Set<String> signedFormats;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Format> formats = new LinkedHashMap<>();
    // Names of formats seen even if invalid, so a bad format entry is reported once, not at every use.
    private final Set<String> formatNamesSeen = new LinkedHashSet<>();

    /**
     * @param signedFormats the formats whose connector verifies signatures of their own: only their
     *     channels may say {@code signatures: required}
     */
    RegistryParser(String file, Predicate<String> isCurrentProvince, Set<String> signedFormats) {
        this.file = file;
        this.isCurrentProvince = isCurrentProvince;
        this.signedFormats = Set.copyOf(signedFormats);
    }

    Registry parse(String text) {
        Node root = compose(text);
        if (root == null) {
            throw failure(null);
        }
        checkDuplicateKeys(root, new IdentityHashMap<>());
        Fields top = fields(root, TOP_KEYS, "top-level");
        List<Draft> drafts = new ArrayList<>();
        if (top != null) {
            top.require("formats", "the native formats channels may name").ifPresent(this::parseFormats);
            top.get("templates").ifPresent(this::checkTemplates);
            top.require("agencies", "the participants").ifPresent(n -> parseAgencies(n, drafts));
            crossCheck(drafts);
        }
        if (!problems.isEmpty()) {
            throw failure(null);
        }
        return new Registry(List.copyOf(formats.values()), drafts.stream().map(Draft::build).toList());
    }

    // ---------------------------------------------------------------- YAML

    private Node compose(String text) {
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            if (root == null) {
                problem(0, "is empty: expected 'formats' and 'agencies'");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() == null ? "" : e.getContext()
                    + (e.getContextMark() == null ? "" : " (line " + (e.getContextMark().getLine() + 1) + ")") + ": ";
            problem(mark == null ? 0 : mark.getLine() + 1, "YAML syntax error: " + context + e.getProblem());
            throw failure(e);
        } catch (YAMLException e) {
            problem(0, "YAML error: " + e.getMessage());
            throw failure(e);
        }
    }

    /** A mapping's keys after YAML merges ({@code <<: *template}), with their tuples. */
    private final class Fields {
        final MappingNode node;
        String what; // refined once known, e.g. "agency" becomes "agency SBV"
        final Map<String, NodeTuple> entries;

        Fields(MappingNode node, String what, Map<String, NodeTuple> entries) {
            this.node = node;
            this.what = what;
            this.entries = entries;
        }

        Optional<Node> get(String key) {
            return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
        }

        Optional<Node> require(String key, String meaning) {
            Optional<Node> value = get(key);
            if (value.isEmpty()) {
                problem(node, (what.equals("top-level") ? "the file" : what) + " is missing '" + key + "' (" + meaning + ")");
            }
            return value;
        }
    }

    /** The keys of a mapping, reporting a non-mapping and every key not in {@code allowed}. */
    private Fields fields(Node node, List<String> allowed, String what) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, what + " must be a mapping (key: value lines), found " + describe(node));
            return null;
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : flatten(mapping, new IdentityHashMap<>())) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                problem(tuple.getKeyNode(), what + " has a key that is not plain text");
                continue;
            }
            String key = keyNode.getValue();
            if (!allowed.contains(key)) {
                problem(keyNode, "unknown " + what + " key '" + key + "'" + didYouMean(key, allowed)
                        + "; expected one of: " + String.join(", ", allowed));
                continue;
            }
            entries.putIfAbsent(key, tuple);
        }
        return new Fields(mapping, what, entries);
    }

    /**
     * The tuples of a mapping with YAML merge keys resolved: keys written in the mapping win over
     * merged ones, and among merged mappings the first listed wins (YAML merge key spec).
     */
    private List<NodeTuple> flatten(MappingNode mapping, IdentityHashMap<Node, Boolean> inProgress) {
        List<NodeTuple> own = new ArrayList<>();
        List<NodeTuple> merged = new ArrayList<>();
        inProgress.put(mapping, true);
        for (NodeTuple tuple : mapping.getValue()) {
            if (!Tag.MERGE.equals(tuple.getKeyNode().getTag())) {
                own.add(tuple);
                continue;
            }
            Node value = tuple.getValueNode();
            List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
            for (Node source : sources) {
                if (!(source instanceof MappingNode sourceMapping)) {
                    problem(source, "'<<' must merge a mapping, e.g. '<<: *province', found " + describe(source));
                } else if (inProgress.containsKey(sourceMapping)) {
                    problem(source, "'<<' merges a mapping into itself");
                } else {
                    merged.addAll(flatten(sourceMapping, inProgress));
                }
            }
        }
        inProgress.remove(mapping);
        // Own duplicates stay (checkDuplicateKeys reports them); a merged key yields to an own one.
        List<NodeTuple> result = new ArrayList<>(own);
        Set<String> taken = new HashSet<>();
        own.forEach(t -> taken.add(keyText(t)));
        for (NodeTuple tuple : merged) {
            String key = keyText(tuple);
            if (key == null || taken.add(key)) {
                result.add(tuple);
            }
        }
        return result;
    }

    /** Reports repeated keys anywhere in the file: YAML would silently keep only one. */
    private void checkDuplicateKeys(Node node, IdentityHashMap<Node, Boolean> visited) {
        if (visited.put(node, true) != null) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            Map<String, Integer> firstLine = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && !Tag.MERGE.equals(key.getTag())) {
                    Integer first = firstLine.putIfAbsent(key.getValue(), line(key));
                    if (first != null) {
                        problem(key, "duplicate key '" + key.getValue() + "' (first on line " + first
                                + "): YAML would keep only one of them");
                    }
                }
                checkDuplicateKeys(tuple.getKeyNode(), visited);
                checkDuplicateKeys(tuple.getValueNode(), visited);
            }
        } else if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(item -> checkDuplicateKeys(item, visited));
        }
    }

    /** A single text value; empty when the value is missing, null or not text (each reported). */
    private Optional<String> text(Node node, String what) {
        if (!(node instanceof ScalarNode scalar)) {
            problem(node, what + " must be a single value, found " + describe(node));
            return Optional.empty();
        }
        if (Tag.NULL.equals(scalar.getTag()) || scalar.getValue().isBlank()) {
            problem(node, what + " has no value");
            return Optional.empty();
        }
        return Optional.of(scalar.getValue().strip());
    }

    private Optional<List<Node>> list(Node node, String what) {
        if (node instanceof SequenceNode seq) {
            return Optional.of(seq.getValue());
        }
        problem(node, what + " must be a list, found " + describe(node));
        return Optional.empty();
    }

    // ---------------------------------------------------------------- formats

    private void parseFormats(Node node) {
        List<Node> items = list(node, "'formats'").orElse(List.of());
        if (node instanceof SequenceNode && items.isEmpty()) {
            problem(node, "'formats' lists no format");
        }
        Map<String, Integer> lines = new HashMap<>();
        for (Node item : items) {
            Fields f = fields(item, FORMAT_KEYS, "format");
            if (f == null) {
                continue;
            }
            Optional<String> name = f.require("name", "e.g. canonical-json").flatMap(n -> text(n, "format name"));
            name.ifPresent(formatNamesSeen::add);
            name = name.filter(n -> check(f.get("name").get(), Names.FORMAT_NAME.matcher(n).matches(),
                    "format name '" + n + "' must be lower-case letters and digits joined by '-'"));
            Optional<String> mediaType = f.require("mediaType", "e.g. application/json")
                    .flatMap(n -> text(n, "mediaType"))
                    .filter(m -> check(f.get("mediaType").get(), Names.MEDIA_TYPE.matcher(m).matches(),
                            "mediaType '" + m + "' is not a media type such as application/xml"));
            Optional<String> description =
                    f.require("description", "what the format is").flatMap(n -> text(n, "description"));
            Set<MessageType> carries = f.get("carries").map(n -> types(n, "carries").keySet())
                    .<Set<MessageType>>map(HashSet::new).orElse(Set.of());
            if (name.isEmpty()) {
                continue;
            }
            Integer first = lines.putIfAbsent(name.get(), line(f.node));
            if (first != null) {
                problem(f.node, "duplicate format '" + name.get() + "' (first on line " + first + ")");
            } else if (mediaType.isPresent() && description.isPresent()) {
                formats.put(name.get(), new Format(name.get(), mediaType.get(), description.get(), carries));
            }
        }
    }

    private void checkTemplates(Node node) {
        // Templates are read only through merges, where their keys are checked as the agency's own.
        if (!(node instanceof MappingNode)) {
            problem(node, "'templates' must be a mapping of named fragments (name: &name {...}), found "
                    + describe(node));
        }
    }

    // ---------------------------------------------------------------- agencies

    /** An agency as read, with the lines the cross-checks name; built into an Agency only when clean. */
    private static final class Draft {
        int line;
        String code;
        int codeLine;
        AgencyName name;
        Optional<String> organId = Optional.empty();
        int organIdLine;
        String keycloakClient;
        int keycloakClientLine;
        Map<MessageType, Integer> sends = new LinkedHashMap<>();
        Map<MessageType, Integer> receives = new LinkedHashMap<>();
        List<Channel> channels = new ArrayList<>();
        List<Address> addresses = new ArrayList<>();
        Optional<Retry> retry = Optional.empty();

        Agency build() {
            return new Agency(code, name, organId, keycloakClient, sends.keySet(), receives.keySet(), channels, retry);
        }

        String label() {
            return code == null ? "the agency on line " + line : code;
        }
    }

    /** One queue, topic, folder or URL taken by an agency, and where. */
    private record Address(String space, String value, int line) {}

    private void parseAgencies(Node node, List<Draft> drafts) {
        List<Node> items = list(node, "'agencies'").orElse(List.of());
        if (node instanceof SequenceNode && items.isEmpty()) {
            problem(node, "'agencies' lists no agency");
        }
        for (Node item : items) {
            Fields f = fields(item, AGENCY_KEYS, "agency");
            if (f != null) {
                drafts.add(parseAgency(f));
            }
        }
    }

    private Draft parseAgency(Fields f) {
        Draft d = new Draft();
        d.line = line(f.node);
        f.require("code", "e.g. MOF.CUSTOMS or PROV.37").ifPresent(n -> text(n, "code").ifPresent(code -> {
            d.codeLine = line(n);
            if (checkCode(n, code)) {
                d.code = code;
            }
        }));
        String who = d.code == null ? "agency" : d.code;
        f.what = d.code == null ? "agency" : "agency " + d.code;
        f.require("name", "{vi: ..., en: ...}").ifPresent(n -> d.name = parseName(n, who));
        f.get("organId").ifPresent(n -> text(n, "organId").ifPresent(id -> {
            d.organIdLine = line(n);
            if (check(n, Names.ORGAN_ID.matcher(id).matches() && id.length() <= Names.ORGAN_ID_MAX,
                    "organId '" + id + "' is not a QCVN 102 organ id such as 000.00.00.H30 (dotted upper-case "
                            + "letters and digits, at most " + Names.ORGAN_ID_MAX + " characters)")) {
                d.organId = Optional.of(id);
            }
        }));
        f.require("keycloakClient", "its client id in realm lienthong").ifPresent(n ->
                text(n, "keycloakClient").ifPresent(client -> {
                    d.keycloakClientLine = line(n);
                    if (check(n, Names.KEYCLOAK_CLIENT.matcher(client).matches(), "keycloakClient '" + client
                            + "' must be lower-case letters and digits, optionally joined by '-', '_' or '.'")) {
                        d.keycloakClient = client;
                    }
                }));
        f.require("sends", "the message types it may send; [] for none")
                .ifPresent(n -> d.sends = types(n, "sends"));
        f.require("receives", "the message types it may receive; [] for none")
                .ifPresent(n -> d.receives = types(n, "receives"));
        Integer receiptLine = d.sends.get(MessageType.RECEIPT);
        if (receiptLine != null) {
            problem(receiptLine, who + " may not send 'receipt': receipts are issued by the gateway");
        }
        Integer noticeLine = d.sends.get(MessageType.DEADLINE_OVERDUE);
        if (noticeLine != null) {
            problem(noticeLine, who + " may not send 'deadline.overdue': deadline notices are the gateway's");
        }
        Integer abandonLine = d.sends.get(MessageType.DELIVERY_ABANDONED);
        if (abandonLine != null) {
            problem(abandonLine, who + " may not send 'delivery.abandoned': abandon notices are the gateway's");
        }
        if (!d.sends.isEmpty() && !d.receives.containsKey(MessageType.RECEIPT) && f.get("receives").isPresent()) {
            problem(f.get("receives").get(), who + " sends messages but does not receive 'receipt': "
                    + "the gateway answers every message with one");
        }
        f.require("channels", "how it is connected").ifPresent(n -> parseChannels(n, d, who));
        f.get("retry").ifPresent(n -> d.retry = parseRetry(n, who));
        if (f.get("channels").isPresent() && !d.channels.isEmpty()) {
            d.receives.forEach((type, line) -> {
                if (type != MessageType.RECEIPT && d.channels.stream().noneMatch(c -> c.format().carries(type))) {
                    problem(line, who + " receives '" + type.wireName() + "' but none of its channels' formats "
                            + "carries it: add a channel whose format does (e.g. rest, canonical-json)");
                }
            });
        }
        return d;
    }

    /** A duration as written in the registry: a whole number and a unit, e.g. 500ms, 30s, 5m, 24h, 2d. */
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Optional<java.time.Duration> duration(Node node, String what) {
        return text(node, what).flatMap(v -> {
            java.util.regex.Matcher m = DURATION.matcher(v);
            if (!m.matches()) {
                problem(node, what + " '" + v + "' is not a duration: a whole number and ms, s, m, h or d (e.g. 30s, 5m, 24h)");
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> java.time.Duration.ofMillis(n);
                case "s" -> java.time.Duration.ofSeconds(n);
                case "m" -> java.time.Duration.ofMinutes(n);
                case "h" -> java.time.Duration.ofHours(n);
                default -> java.time.Duration.ofDays(n);
            });
        });
    }

    /** An agency's retry policy: every part optional, each checked with its line; the parts checked together. */
    private Optional<Retry> parseRetry(Node node, String who) {
        Fields f = fields(node, Retry.KEYS, "retry of " + who);
        if (f == null) {
            return Optional.empty();
        }
        int before = problems.size();
        Optional<java.time.Duration> initial = f.get("initialDelay").flatMap(n -> duration(n, "retry.initialDelay"));
        Optional<java.time.Duration> max = f.get("maxDelay").flatMap(n -> duration(n, "retry.maxDelay"));
        Optional<java.time.Duration> giveUp = f.get("giveUpAfter").flatMap(n -> duration(n, "retry.giveUpAfter"));
        Optional<Double> multiplier = f.get("multiplier").flatMap(n -> text(n, "retry.multiplier").flatMap(v -> {
            try {
                double m = Double.parseDouble(v);
                if (check(n, m >= 1.0 && m <= 10.0, "retry.multiplier " + v + " must be between 1 and 10 (1: a fixed wait)")) {
                    return Optional.of(m);
                }
            } catch (NumberFormatException e) {
                problem(n, "retry.multiplier '" + v + "' is not a number (e.g. 2)");
            }
            return Optional.empty();
        }));
        Optional<Integer> attempts = f.get("maxAttempts").flatMap(n -> text(n, "retry.maxAttempts").flatMap(v -> {
            if (check(n, v.matches("\\d{1,6}"), "retry.maxAttempts '" + v + "' must be a whole number (0: no limit by count)")) {
                return Optional.of(Integer.parseInt(v));
            }
            return Optional.empty();
        }));
        f.get("initialDelay").ifPresent(n -> initial.ifPresent(d -> check(n, !d.isZero(),
                "retry.initialDelay must be more than 0")));
        if (initial.isPresent() && max.isPresent() && max.get().compareTo(initial.get()) < 0) {
            problem(f.get("maxDelay").get(), "retry.maxDelay " + max.get() + " is shorter than retry.initialDelay "
                    + initial.get() + " of " + who);
        }
        f.get("giveUpAfter").ifPresent(n -> giveUp.ifPresent(d -> check(n, !d.isZero(),
                "retry.giveUpAfter must be more than 0 (deliveries would fail at their first error)")));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Retry(initial, multiplier, max, giveUp, attempts));
    }

    private boolean checkCode(Node node, String code) {
        if (!Names.AGENCY_CODE.matcher(code).matches()) {
            problem(node, "agency code '" + code + "' must be upper-case letters and digits in dot-separated "
                    + "parts, starting with a letter (e.g. MOF.CUSTOMS)");
            return false;
        }
        if (code.startsWith(Names.PROVINCE_PREFIX)) {
            var m = Names.PROVINCE_CODE.matcher(code);
            if (!m.matches()) {
                problem(node, "province agency code '" + code + "' must be PROV. and the 2-digit province code, "
                        + "e.g. PROV.37");
                return false;
            }
            if (!isCurrentProvince.test(m.group(1))) {
                String former = Provinces.resolveCode(m.group(1), true)
                        .map(r -> "; " + r.originalCode() + " was " + r.originalName() + ", now PROV."
                                + r.current().code() + " " + r.current().name())
                        .orElse("");
                problem(node, "'" + m.group(1) + "' in " + code + " is not one of the 34 current province codes "
                        + "(Decision 19/2025/QĐ-TTg)" + former);
                return false;
            }
        }
        return true;
    }

    private AgencyName parseName(Node node, String who) {
        Fields f = fields(node, NAME_KEYS, "name of " + who);
        if (f == null) {
            return null;
        }
        Optional<String> vi = f.require("vi", "the name in Vietnamese").flatMap(n -> text(n, "name.vi"));
        Optional<String> en = f.require("en", "the name in English").flatMap(n -> text(n, "name.en"));
        return vi.isPresent() && en.isPresent() ? new AgencyName(vi.get(), en.get()) : null;
    }

    /** The message types of a sends/receives list, each with its line. */
    private Map<MessageType, Integer> types(Node node, String key) {
        Map<MessageType, Integer> types = new LinkedHashMap<>();
        List<String> known = Arrays.stream(MessageType.values()).map(MessageType::wireName).toList();
        for (Node item : list(node, "'" + key + "'").orElse(List.of())) {
            text(item, "an entry of '" + key + "'").ifPresent(name -> {
                Optional<MessageType> type = MessageType.fromWireName(name);
                if (type.isEmpty()) {
                    problem(item, "unknown message type '" + name + "' in '" + key + "'" + didYouMean(name, known)
                            + "; known types: " + String.join(", ", known));
                } else if (types.putIfAbsent(type.get(), line(item)) != null) {
                    problem(item, "'" + name + "' is listed twice in '" + key + "'");
                }
            });
        }
        return types;
    }

    // ---------------------------------------------------------------- channels

    private void parseChannels(Node node, Draft d, String who) {
        List<Node> items = list(node, "'channels'").orElse(List.of());
        if (node instanceof SequenceNode && items.isEmpty()) {
            problem(node, who + " has no channels");
        }
        boolean complete = node instanceof SequenceNode;
        for (Node item : items) {
            Channel channel = parseChannel(item, d);
            complete &= channel != null;
            if (channel != null) {
                d.channels.add(channel);
            }
        }
        if (complete && d.channels.stream().filter(c -> c.delivery().equals(Optional.of(Delivery.PULL))).count() > 1) {
            problem(node, who + " has more than one rest channel with delivery: pull; it has one inbox");
        }
    }

    private Channel parseChannel(Node node, Draft d) {
        Channel channel = parseTransport(node, d);
        if (!(node instanceof MappingNode mapping)) {
            return channel;
        }
        Optional<Node> setting = flatten(mapping, new IdentityHashMap<>()).stream()
                .filter(t -> "signatures".equals(keyText(t))).findFirst().map(NodeTuple::getValueNode);
        if (setting.isEmpty()) {
            return channel;
        }
        List<String> names = Arrays.stream(Signatures.values()).map(Signatures::yamlName).toList();
        Optional<Signatures> signatures = text(setting.get(), "signatures").flatMap(v -> {
            Optional<Signatures> known = Signatures.fromYamlName(v);
            if (known.isEmpty()) {
                problem(setting.get(), "signatures '" + v + "' must be one of: " + String.join(", ", names));
            }
            return known;
        });
        if (signatures.isEmpty()) {
            return null;
        }
        if (signatures.get() == Signatures.REQUIRED && channel != null
                && !signedFormats.contains(channel.format().name())) {
            problem(setting.get(), "signatures: required on a channel of format " + channel.format().name()
                    + ", whose inputs carry no signature the gateway verifies; only "
                    + (signedFormats.isEmpty() ? "(no format here)" : String.join(", ", new java.util.TreeSet<>(signedFormats)))
                    + " can be required to be signed");
            return null;
        }
        return channel == null ? null : channel.withSignatures(signatures.get());
    }

    private Channel parseTransport(Node node, Draft d) {
        // The keys a channel may have depend on its kind, so look at the kind first.
        Optional<ChannelKind> declared = declaredKind(node);
        Fields f = declared.isPresent()
                ? fields(node, CHANNEL_KEYS.get(declared.get()), declared.get().yamlName() + " channel")
                : fields(node, ALL_CHANNEL_KEYS, "channel");
        if (f == null) {
            return null;
        }
        Optional<ChannelKind> kind = f.require("kind", "rest, jms, kafka or sftp")
                .flatMap(n -> text(n, "kind").flatMap(k -> {
                    Optional<ChannelKind> known = ChannelKind.fromYamlName(k);
                    List<String> names = Arrays.stream(ChannelKind.values()).map(ChannelKind::yamlName).toList();
                    if (known.isEmpty()) {
                        problem(n, "unknown channel kind '" + k + "'" + didYouMean(k, names)
                                + "; expected one of: " + String.join(", ", names));
                    }
                    return known;
                }));
        Optional<Format> format = f.require("format", "a name listed under 'formats'")
                .flatMap(n -> text(n, "format").flatMap(name -> {
                    Format known = formats.get(name);
                    if (known == null && !formatNamesSeen.contains(name)) {
                        problem(n, "unknown format '" + name + "'" + didYouMean(name, formats.keySet())
                                + "; listed formats: " + String.join(", ", formats.keySet()));
                    }
                    return Optional.ofNullable(known);
                }));
        if (kind.isEmpty()) {
            return null;
        }
        String k = kind.get().yamlName();
        switch (kind.get()) {
            case JMS, KAFKA -> {
                String space = kind.get() == ChannelKind.JMS ? "jms queue" : "kafka topic";
                String noun = kind.get() == ChannelKind.JMS ? "queue" : "topic";
                Optional<String> in = address(f, "inbound", "the " + noun + " the agency sends on", space, d);
                Optional<String> out = address(f, "outbound", "the " + noun + " the gateway delivers on", space, d);
                if (in.isPresent() && out.isPresent() && in.get().equals(out.get())) {
                    d.addresses.remove(d.addresses.size() - 1); // one problem, not also "used twice"
                    problem(f.get("outbound").get(), k + " channel uses " + noun + " '" + in.get()
                            + "' both inbound and outbound");
                    return null;
                }
                if (in.isEmpty() || out.isEmpty() || format.isEmpty()) {
                    return null;
                }
                return kind.get() == ChannelKind.JMS
                        ? new Channel.Jms(format.get(), in.get(), out.get())
                        : new Channel.Kafka(format.get(), in.get(), out.get());
            }
            case SFTP -> {
                Optional<String> folder = address(f, "folder", "the agency's home folder on the gateway's SFTP server",
                        "sftp folder", d);
                return folder.isPresent() && format.isPresent() ? new Channel.Sftp(format.get(), folder.get()) : null;
            }
            case REST -> {
                return parseRest(f, format, d);
            }
            default -> throw new IllegalStateException(k);
        }
    }

    private Optional<ChannelKind> declaredKind(Node node) {
        if (!(node instanceof MappingNode mapping)) {
            return Optional.empty();
        }
        return flatten(mapping, new IdentityHashMap<>()).stream()
                .filter(t -> "kind".equals(keyText(t)) && t.getValueNode() instanceof ScalarNode)
                .findFirst()
                .flatMap(t -> ChannelKind.fromYamlName(((ScalarNode) t.getValueNode()).getValue()));
    }

    private Channel parseRest(Fields f, Optional<Format> format, Draft d) {
        Optional<Delivery> delivery = f.require("delivery", "pull: the agency pulls its inbox; push: the gateway "
                + "POSTs to 'url'").flatMap(n -> text(n, "delivery").flatMap(v -> {
                    Optional<Delivery> known = Delivery.fromYamlName(v);
                    if (known.isEmpty()) {
                        problem(n, "delivery '" + v + "' must be pull or push");
                    }
                    return known;
                }));
        Optional<Node> urlNode = f.get("url");
        if (delivery.isEmpty()) {
            return null;
        }
        if (delivery.get() == Delivery.PULL) {
            urlNode.ifPresent(n -> problem(n, "'url' is given but delivery is pull; the gateway POSTs to it only "
                    + "with delivery: push"));
            return urlNode.isEmpty() && format.isPresent() ? Channel.Rest.pull(format.get()) : null;
        }
        if (urlNode.isEmpty()) {
            problem(f.node, "rest channel with delivery: push is missing 'url' (where the gateway POSTs deliveries)");
            return null;
        }
        Optional<URI> url = text(urlNode.get(), "url").flatMap(u -> {
            Optional<String> why = Names.urlProblem(u);
            why.ifPresent(p -> problem(urlNode.get(), p));
            return why.isPresent() ? Optional.empty() : Optional.of(URI.create(u));
        });
        url.ifPresent(u -> d.addresses.add(new Address("url", Names.comparableUrl(u), line(urlNode.get()))));
        return url.isPresent() && format.isPresent() ? Channel.Rest.push(format.get(), url.get()) : null;
    }

    /** A required queue, topic or folder: present, well-formed, and remembered for the cross-checks. */
    private Optional<String> address(Fields f, String key, String meaning, String space, Draft d) {
        Optional<Node> node = f.require(key, meaning);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> value = text(node.get(), key).filter(v -> {
            boolean folder = space.equals("sftp folder");
            return check(node.get(), (folder ? Names.FOLDER : Names.QUEUE_OR_TOPIC).matcher(v).matches(),
                    space + " '" + v + "' " + (folder
                            ? "must be a relative path of lower-case letters, digits, '.', '_' and '-'"
                            : "may only contain letters, digits, '.', '_' and '-' (at most 249)"));
        });
        value.ifPresent(v -> d.addresses.add(new Address(space, v, line(node.get()))));
        return value;
    }

    // ---------------------------------------------------------------- across agencies

    private void crossCheck(List<Draft> drafts) {
        unique(drafts, d -> d.code, d -> d.codeLine, "agency code");
        unique(drafts, d -> d.keycloakClient, d -> d.keycloakClientLine, "keycloakClient");
        unique(drafts, d -> d.organId.orElse(null), d -> d.organIdLine, "organId");

        record Use(Draft owner, Address address) {}
        Map<String, Use> byAddress = new HashMap<>();
        List<Use> folders = new ArrayList<>();
        for (Draft d : drafts) {
            for (Address a : d.addresses) {
                Use use = new Use(d, a);
                Use first = byAddress.putIfAbsent(a.space() + " " + a.value(), use);
                if (first != null) {
                    problem(a.line(), a.space() + " '" + a.value() + "' is used by "
                            + (first.owner() == d
                                    ? d.label() + " twice (lines " + first.address().line() + " and " + a.line() + ")"
                                    : "both " + first.owner().label() + " (line " + first.address().line() + ") and "
                                            + d.label() + " (line " + a.line() + ")"));
                } else if (a.space().equals("sftp folder")) {
                    folders.add(use);
                }
            }
        }
        // A folder inside another agency's folder would let that agency read its files.
        for (Use inner : folders) {
            for (Use outer : folders) {
                if (inner.address().value().startsWith(outer.address().value() + "/")) {
                    problem(inner.address().line(), "sftp folder '" + inner.address().value() + "' of "
                            + inner.owner().label() + " lies inside folder '" + outer.address().value() + "' of "
                            + outer.owner().label() + " (line " + outer.address().line()
                            + "); each agency must see only its own folder");
                }
            }
        }
    }

    private void unique(List<Draft> drafts, Function<Draft, String> value,
            ToIntFunction<Draft> lineOf, String what) {
        Map<String, Draft> first = new HashMap<>();
        for (Draft d : drafts) {
            String v = value.apply(d);
            if (v == null) {
                continue;
            }
            Draft earlier = first.putIfAbsent(v, d);
            if (earlier != null) {
                problem(lineOf.applyAsInt(d), "duplicate " + what + " '" + v + "' on lines "
                        + lineOf.applyAsInt(earlier) + " and " + lineOf.applyAsInt(d)
                        + (what.equals("agency code") ? "" : " (" + earlier.label() + " and " + d.label() + ")"));
            }
        }
    }

    // ---------------------------------------------------------------- reporting

    private boolean check(Node node, boolean ok, String message) {
        if (!ok) {
            problem(node, message);
        }
        return ok;
    }

    private void problem(Node node, String message) {
        problem(line(node), message);
    }

    private void problem(int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    private RegistryException failure(Throwable cause) {
        // Sorted by line; a template merged into several agencies reports its problem once.
        List<Problem> sorted = problems.stream().distinct()
                .sorted(Comparator.comparingInt(Problem::line)).toList();
        return cause == null ? new RegistryException(sorted) : new RegistryException(sorted, cause);
    }

    private static String keyText(NodeTuple tuple) {
        return tuple.getKeyNode() instanceof ScalarNode key ? key.getValue() : null;
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        return Tag.NULL.equals(scalar.getTag()) ? "nothing" : "'" + scalar.getValue() + "'";
    }

    /** " (did you mean 'x'?)" for the closest candidate within two edits, else "". */
    static String didYouMean(String got, Collection<String> candidates) {
        String lower = got.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .map(c -> Map.entry(c, distance(lower, c.toLowerCase(Locale.ROOT))))
                .filter(e -> e.getValue() <= 2 && e.getValue() < got.length())
                .min(Map.Entry.comparingByValue())
                .map(e -> " (did you mean '" + e.getKey() + "'?)")
                .orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
