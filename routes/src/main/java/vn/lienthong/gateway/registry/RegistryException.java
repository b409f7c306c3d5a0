package vn.lienthong.gateway.registry;

import java.util.List;
import java.util.stream.Collectors;

/** The registry file cannot be used: {@link #problems()} lists everything wrong in it, not only the first thing. */
public class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    /** An exception reporting these problems (at least one). */
    public RegistryException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** An exception reporting these problems, with the error that stopped reading. */
    public RegistryException(List<Problem> problems, Throwable cause) {
        super(message(problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** The problems, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a RegistryException needs at least one problem");
        }
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }
}
