package vn.lienthong.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret of the embedded default kept in its data folder: made once from {@link SecureRandom}
 * (24 random bytes, base64url), written readable by the owner only, and read back on every later
 * start. Whoever can read the data folder holds it; nobody else can guess it.
 *
 * @param value the secret
 * @param created whether this call made it (the only time the caller shows it)
 */
public record LocalSecret(String value, boolean created) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The secret in {@code file}, made and kept there if there is none yet. */
    public static LocalSecret readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return new LocalSecret(read(file), false);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                create(file, value);
            } catch (FileAlreadyExistsException e) {
                // Another start made it first: theirs stands.
                return new LocalSecret(read(file), false);
            }
            return new LocalSecret(value, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file, e);
        }
    }

    private static String read(Path file) throws IOException {
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (value.isEmpty()) {
            throw new IOException(file + " is empty: delete it to have a new secret made");
        }
        return value;
    }

    /** Written with owner-only permissions from the start (no moment where others may read it). */
    private static void create(Path file, String value) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
        Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        // Never the value: a record's toString ends up in logs.
        return "LocalSecret[created=" + created + "]";
    }
}
