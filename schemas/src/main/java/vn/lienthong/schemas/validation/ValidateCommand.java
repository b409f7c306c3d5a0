package vn.lienthong.schemas.validation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Validates message files the way the gateway will, so an agency can check what it is about to
 * send: {@code validate FILE...} prints {@code OK type messageId} or each error as
 * {@code CODE pointer message}, and exits 1 when any file is refused.
 */
public final class ValidateCommand {

    private ValidateCommand() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> files, PrintStream out, PrintStream err) {
        if (files.isEmpty()) {
            err.println("usage: validate FILE...   (canonical JSON messages, schema v1)");
            return 2;
        }
        MessageValidator validator = new MessageValidator();
        int refused = 0;
        for (String file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                err.println(file + ": cannot read: " + e.getMessage());
                refused++;
                continue;
            }
            ValidationResult result = validator.validate(bytes);
            if (result instanceof ValidationResult.Valid valid) {
                out.println(file + ": OK " + valid.message().type() + " " + valid.message().messageId());
            } else {
                refused++;
                for (ValidationError e : result.errors()) {
                    out.println(file + ": " + e.code() + " " + (e.pointer().isEmpty() ? "(document)" : e.pointer())
                            + " " + e.message());
                }
            }
        }
        return refused == 0 ? 0 : 1;
    }
}
