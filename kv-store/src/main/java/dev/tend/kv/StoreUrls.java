package dev.tend.kv;

/** Store URLs as they may be shown: the one place that hides their secrets. */
public final class StoreUrls {

    private StoreUrls() {
    }

    /** The text with the secret of every {@code //user:password@} and {@code //token@} hidden, for logs and messages. */
    public static String redact(String text) {
        return text.replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@").replaceAll("//[^:/@]+@", "//***@");
    }
}
