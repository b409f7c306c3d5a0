package vn.lienthong.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import vn.lienthong.schemas.MessageType;

/** Every bundled example is judged as it says: valid ones accepted, invalid ones refused with exactly their codes. */
class ExamplesTest {

    private static final MessageValidator VALIDATOR = Examples.validator();

    static Stream<Arguments> valid() {
        return Examples.valid().stream().map(p -> Arguments.of(Examples.relative(p), p));
    }

    static Stream<Arguments> invalid() {
        return Examples.invalid().stream().map(p -> Arguments.of(Examples.relative(p), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validExampleIsAccepted(String name, Path example) {
        ValidationResult result = VALIDATOR.validate(Examples.bytes(example));
        assertThat(result.errors()).as(name).isEmpty();
        assertThat(result).isInstanceOf(ValidationResult.Valid.class);
        String type = example.getParent().getFileName().toString();
        assertThat(((ValidationResult.Valid) result).message().type().wireName()).isEqualTo(type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidExampleGivesExactlyItsCodes(String name, Path example) {
        Set<String> expected = Examples.expected(example);
        assertThat(expected).as("the .expected of " + name).isNotEmpty();
        ValidationResult result = VALIDATOR.validate(Examples.bytes(example));
        Set<String> actual = new TreeSet<>();
        result.errors().forEach(e -> actual.add(e.code() + " " + e.pointer()));
        assertThat(actual).as(name + " gave " + result.errors()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void everyTypeHasTwoValidAndThreeInvalidExamples(MessageType type) throws Exception {
        Path dir = Examples.ROOT.resolve(type.wireName());
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            var names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names.stream().filter(n -> n.startsWith("valid-") && n.endsWith(".json"))).hasSizeGreaterThanOrEqualTo(2);
            assertThat(names.stream().filter(n -> n.startsWith("invalid-") && n.endsWith(".json"))).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void everyInvalidExampleHasItsExpectation() {
        for (Path p : Examples.invalid()) {
            String name = p.getFileName().toString();
            assertThat(p.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".expected")).exists();
        }
    }
}
