package vn.lienthong.schemas.v1;

/**
 * A province: after validation the current code and name, with what the sender wrote in
 * {@code original} when it differed ({@code former} is the sender's flag for a pre-2025 code).
 */
public record Province(String code, String name, Boolean former, Original original) {

    public Province {
        if (code == null && name == null) {
            throw new IllegalArgumentException("a province needs a code or a name");
        }
    }

    /** What the sender wrote, kept beside the normalized value. */
    public record Original(String code, String name, Boolean former) {
    }
}
