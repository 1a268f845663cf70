package dev.tend.kv;

/** The rules for bucket names, keys and filters, shared by every backend (those of NATS JetStream KV). */
public final class Names {
    public static final int MAX_BUCKET_NAME_LENGTH = 252;
    public static final int MAX_KEY_LENGTH = 4096;

    private Names() {
    }

    public static boolean isValidBucketName(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_BUCKET_NAME_LENGTH
                && onlyNameCharacters(name);
    }

    /**
     * True when {@code name} has only A-Z, a-z, 0-9, '-' and '_'. A loop rather than a regex: every command checks a
     * name, and compiling a pattern is a noticeable part of a one-shot command's start-up.
     */
    private static boolean onlyNameCharacters(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link InvalidNameException} unless {@code name} is a valid bucket name. */
    public static String checkBucketName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException("a bucket name is required");
        }
        if (name.length() > MAX_BUCKET_NAME_LENGTH) {
            throw new InvalidNameException("bucket name is " + name.length() + " characters long; the limit is "
                    + MAX_BUCKET_NAME_LENGTH);
        }
        if (!onlyNameCharacters(name)) {
            throw new InvalidNameException("invalid bucket name \"" + name
                    + "\": use only A-Z, a-z, 0-9, '-' and '_'");
        }
        return name;
    }

    public static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        // A loop rather than the regex: keys are checked on every read, which must stay cheap.
        char prev = '.';
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '/' || c == '_' || c == '=' || c == '.';
            if (!ok || (c == '.' && prev == '.')) {
                return false;
            }
            prev = c;
        }
        return prev != '.';
    }

    /** Throws {@link InvalidKeyException} unless {@code key} is a valid key (no wildcards). */
    public static String checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException("a key is required");
        }
        if (!isValidKey(key)) {
            throw new InvalidKeyException("invalid key \"" + shorten(key) + "\": use only A-Z, a-z, 0-9 and - / _ = ."
                    + " with no leading, trailing or double '.'" + (key.length() > MAX_KEY_LENGTH
                    ? " (and at most " + MAX_KEY_LENGTH + " characters)" : ""));
        }
        return key;
    }

    static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 38) + "..." + s.substring(s.length() - 38);
    }
}
