package vn.lienthong.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the registry fixtures under {@code src/test/resources/registry/} and finds lines in them. */
final class Fixtures {

    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/registry/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a fixture that must fail, and returns its problems. */
    static List<Problem> problems(String name) {
        String text = text(name);
        RegistryException e = catchThrowableOfType(
                () -> Registry.parse(text, "registry/" + name), RegistryException.class);
        assertThat(e).as("%s must not load", name).isNotNull();
        return e.problems();
    }

    /** The 1-based line of the {@code nth} (1-based) line containing {@code needle}. */
    static int lineOf(String name, String needle, int nth) {
        List<String> lines = text(name).lines().toList();
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle) && ++seen == nth) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " (" + nth + ") not in " + name);
    }

    static int lineOf(String name, String needle) {
        return lineOf(name, needle, 1);
    }
}
