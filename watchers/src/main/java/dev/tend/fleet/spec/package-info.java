/**
 * Signed fleet specifications, compatible with Choria's: the list of machines a node should run, as the {@code plugins}
 * watcher reads it ({@link dev.tend.fleet.spec.PluginSpec}: {@code {"plugins": "<base64 JSON list>", "signature":
 * "<hex ed25519 over the base64 text>"}}) and the older {@code machines} watcher reads it
 * ({@link dev.tend.fleet.spec.MachinesSpec}: the signature over the decoded list); the list's entries
 * ({@link dev.tend.fleet.spec.PluginItem}) with their JSON written byte for byte as Go's {@code encoding/json} writes
 * them; ed25519 keys in Choria's forms ({@link dev.tend.fleet.spec.SigningKey}: a hex seed file, or Go's 64-byte private
 * key in hex; {@link dev.tend.fleet.spec.VerifyKey}: the public key in hex) on the JDK's Ed25519. Every problem is a
 * {@link dev.tend.fleet.spec.SpecException} whose message is one line.
 *
 * <p>Used by the {@code plugins} and {@code machines} watchers ({@code dev.tend.watchers.plugins}) and by
 * {@code tend fleet}. The public classes are the API; the codecs ({@code GoJson}, {@code ItemsJson},
 * {@code SpecFields}, {@code Hex}, {@code Ed25519}) are package-private.
 */
package dev.tend.fleet.spec;
