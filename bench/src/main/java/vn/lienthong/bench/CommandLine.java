package vn.lienthong.bench;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reading of the benchmark commands' arguments (the throughput run, its modes and the fault
 * harness): flags, {@code --name=value} options and the Spring arguments handed on to the gateway, with
 * the checks of whole numbers, durations and heap sizes they share.
 */
final class CommandLine {

    /** Arguments with these prefixes are the gateway's own Spring arguments, handed to the child JVM. */
    static final List<String> GATEWAY_PREFIXES = List.of("--lienthong.", "--camel.", "--spring.", "--management.",
            "--logging.");
    private static final Pattern SIZE = Pattern.compile("\\d+[kKmMgG]?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    /** One {@code --name=value} option, in the order given. */
    record Option(String name, String value) {
    }

    /**
     * A command line read: its options in order, the flags given, the gateway's arguments and whether
     * {@code --help} (or {@code -h}) was asked.
     */
    record Parsed(List<Option> options, Set<String> flags, List<String> gatewayArgs, boolean help) {
    }

    private CommandLine() {
    }

    /**
     * Splits the arguments; {@code flags} names the options without a value (without their dashes).
     * Throws IllegalArgumentException for an argument that is none of these.
     */
    static Parsed parse(String[] args, Set<String> flags) {
        List<Option> options = new ArrayList<>();
        Set<String> given = new LinkedHashSet<>();
        List<String> gatewayArgs = new ArrayList<>();
        boolean help = false;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.startsWith("--") && flags.contains(arg.substring(2))) {
                given.add(arg.substring(2));
            } else if (GATEWAY_PREFIXES.stream().anyMatch(arg::startsWith)) {
                if (!arg.contains("=")) {
                    throw new IllegalArgumentException(arg + ": the gateway's arguments take the form --name=value");
                }
                if (arg.startsWith("--spring.profiles.active=")) {
                    throw new IllegalArgumentException("the gateway always runs the production profile");
                }
                gatewayArgs.add(arg);
            } else {
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("unknown argument " + arg);
                }
                options.add(new Option(arg.substring(2, eq), arg.substring(eq + 1)));
            }
        }
        return new Parsed(List.copyOf(options), Set.copyOf(given), List.copyOf(gatewayArgs), help);
    }

    /** The error for an option no command takes. */
    static IllegalArgumentException unknown(Option option) {
        return new IllegalArgumentException("unknown argument --" + option.name() + "=" + option.value());
    }

    /** Whether the gateway arguments already set this property (Spring would join two values with a comma). */
    static boolean setsProperty(List<String> gatewayArgs, String property) {
        return gatewayArgs.stream().anyMatch(a -> a.startsWith("--" + property + "="));
    }

    /** A whole number of at least {@code min} ({@code 1_000} and {@code 1,000} read as 1000). */
    static int atLeast(String name, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, not " + value);
        }
        if (n < min) {
            throw new IllegalArgumentException("--" + name + (min == 0 ? " must not be negative" : " must be at least " + min));
        }
        return n;
    }

    /** A whole number, at least 0. */
    static int whole(String name, String value) {
        return atLeast(name, value, 0);
    }

    /** A whole number, at least 1. */
    static int positive(String name, String value) {
        return atLeast(name, value, 1);
    }

    /** A duration like {@code 500ms}, {@code 20s}, {@code 10m}, {@code 1h}, a bare number of seconds, or ISO-8601. */
    static Duration duration(String name, String value) {
        Matcher m = DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--" + name + " takes a duration like 20s, 10m or 500ms, not " + value);
        }
    }

    /** A JVM heap size such as {@code 512m} or {@code 1g}. */
    static String heap(String name, String value) {
        if (!SIZE.matcher(value).matches()) {
            throw new IllegalArgumentException("--" + name + " takes a size like 1g or 768m, not " + value);
        }
        return value;
    }
}
