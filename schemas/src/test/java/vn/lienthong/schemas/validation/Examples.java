package vn.lienthong.schemas.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import vn.lienthong.schemas.ValidatorSettings;

/** The bundled examples: valid-*.json and invalid-*.* with a sidecar .expected of "CODE pointer" lines. */
final class Examples {

    /** The "now" every example is written against. */
    static final Clock CLOCK = Clock.fixed(OffsetDateTime.parse("2026-11-20T12:00:00+07:00").toInstant(),
            ValidatorSettings.VIETNAM);

    static final Path ROOT = root();

    private Examples() {
    }

    static MessageValidator validator() {
        return new MessageValidator(ValidatorSettings.defaults().withClock(CLOCK));
    }

    static List<Path> all() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".expected"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> valid() {
        return all().stream().filter(p -> p.getFileName().toString().startsWith("valid-")).toList();
    }

    static List<Path> invalid() {
        return all().stream().filter(p -> p.getFileName().toString().startsWith("invalid-")).toList();
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The "CODE pointer" lines an invalid example must produce, exactly. */
    static Set<String> expected(Path example) {
        String name = example.getFileName().toString();
        Path sidecar = example.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".expected");
        try {
            Set<String> lines = new TreeSet<>();
            for (String line : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    lines.add(t.replaceAll("\\s+", " "));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + sidecar, e);
        }
    }

    static String relative(Path p) {
        return ROOT.relativize(p).toString();
    }

    private static Path root() {
        try {
            return Path.of(Examples.class.getClassLoader().getResource("lienthong/examples/v1").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
