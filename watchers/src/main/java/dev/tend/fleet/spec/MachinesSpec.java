package dev.tend.fleet.spec;

import java.util.List;
import java.util.Objects;

/**
 * The older machines specification, as Choria's {@code machines} watcher reads it:
 * {@code {"machines": "<base64 of the JSON list>", "signature": "<hex ed25519>"}}. Unlike {@link PluginSpec}, the
 * signature is over the decoded bytes (the list's JSON), and the list's JSON writes every field, empty or not.
 *
 * @param machines  the base64 text of the list's JSON (Go writes a byte slice so)
 * @param signature the ed25519 signature of the decoded list, in hex; empty when unsigned
 */
public record MachinesSpec(String machines, String signature) {

    static final String WHAT = "the machines specification";

    public MachinesSpec {
        Objects.requireNonNull(machines, "machines");
        signature = Objects.requireNonNullElse(signature, "");
    }

    /** An unsigned specification of these items, their JSON written as Go's {@code json.Marshal} writes it. */
    public static MachinesSpec of(List<PluginItem> items) {
        return ofListJson(ItemsJson.write(items, false));
    }

    /** An unsigned specification of a list's JSON as given. */
    public static MachinesSpec ofListJson(byte[] json) {
        return new MachinesSpec(SpecFields.base64(json), "");
    }

    /** A specification from a machine data value or its JSON text. @throws SpecException when it is not one */
    public static MachinesSpec fromData(Object value) throws SpecException {
        SpecFields.Pair pair = SpecFields.read(value, "machines");
        return new MachinesSpec(pair.list(), pair.signature());
    }

    /** The same list, signed with this key. @throws SpecException when {@code machines} is not valid base64 */
    public MachinesSpec signedWith(SigningKey key) throws SpecException {
        return new MachinesSpec(machines, Hex.encode(key.sign(listJson())));
    }

    /** Checks the signature over the decoded list. @throws SpecException when the base64 or the signature is bad */
    public void verify(VerifyKey key) throws SpecException {
        key.verify(listJson(), signature, WHAT);
    }

    /** The list's JSON, decoded from base64. @throws SpecException when {@code machines} is not valid base64 */
    public byte[] listJson() throws SpecException {
        return SpecFields.base64(machines, WHAT);
    }

    /** The items. @throws SpecException when the base64 or the JSON is not valid */
    public List<PluginItem> items() throws SpecException {
        return ItemsJson.read(listJson());
    }

    /** The specification as Go's {@code json.Marshal} writes it (no signature field when unsigned). */
    public String toJson() {
        return new GoJson().beginObject().field("machines", machines, false).field("signature", signature, true)
                .endObject().toString();
    }
}
