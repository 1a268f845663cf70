package dev.tend.fleet.spec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A plugins specification, as Choria's {@code plugins} watcher reads it and {@code choria machine plugins pack} writes
 * it: {@code {"plugins": "<base64 of the JSON list>", "signature": "<hex ed25519>"}}. The signature is over the base64
 * text itself (its bytes), so the list's JSON is signed exactly as it was written.
 *
 * @param plugins   the base64 text of the list's JSON
 * @param signature the ed25519 signature of {@code plugins}, in hex; empty when unsigned
 */
public record PluginSpec(String plugins, String signature) {

    static final String WHAT = "the plugins specification";

    public PluginSpec {
        Objects.requireNonNull(plugins, "plugins");
        signature = Objects.requireNonNullElse(signature, "");
    }

    /** An unsigned specification of these items, their JSON written as Go's {@code json.Marshal} writes it. */
    public static PluginSpec of(List<PluginItem> items) {
        return ofListJson(ItemsJson.write(items, true));
    }

    /** An unsigned specification of a list's JSON as given (what {@code pack} does with the file it reads). */
    public static PluginSpec ofListJson(byte[] json) {
        return new PluginSpec(SpecFields.base64(json), "");
    }

    /**
     * A specification from a machine data value (the object a kv watcher stored) or its JSON text.
     *
     * @throws SpecException when it is not an object whose fields are strings
     */
    public static PluginSpec fromData(Object value) throws SpecException {
        SpecFields.Pair pair = SpecFields.read(value, "plugins");
        return new PluginSpec(pair.list(), pair.signature());
    }

    /** The same list, signed with this key. */
    public PluginSpec signedWith(SigningKey key) {
        return new PluginSpec(plugins, Hex.encode(key.sign(plugins.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Checks the signature.
     *
     * @throws SpecException when there is none, it is not hex, or it does not verify with the key
     */
    public void verify(VerifyKey key) throws SpecException {
        key.verify(plugins.getBytes(StandardCharsets.UTF_8), signature, WHAT);
    }

    /** The list's JSON, decoded from base64. @throws SpecException when {@code plugins} is not valid base64 */
    public byte[] listJson() throws SpecException {
        return SpecFields.base64(plugins, WHAT);
    }

    /** The items. @throws SpecException when the base64 or the JSON is not valid */
    public List<PluginItem> items() throws SpecException {
        return ItemsJson.read(listJson());
    }

    /** The specification as Go's {@code json.Marshal} writes it (no signature field when unsigned). */
    public String toJson() {
        return new GoJson().beginObject().field("plugins", plugins, false).field("signature", signature, true)
                .endObject().toString();
    }
}
