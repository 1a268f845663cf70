/**
 * {@code tend kv}: the key-value store's commands, one class each ({@code KvAdd}, {@code KvPut}, ... {@code KvCheck})
 * under {@link dev.tend.cli.kv.KvCommand} (start here: the global {@code --store} and NATS flags of
 * {@code dev.tend.cli.store.StoreOptions}, the store chosen by
 * {@code dev.tend.cli.store.StoreLocator}, and the subcommands registered in code so that a run builds only the one it
 * needs). The commands extend {@code KvSubcommand} (context, store, value from an argument or stdin, confirmation);
 * {@code put}, {@code create} and {@code update} share {@code KvValueWrite}. Each validates its input before it opens
 * the store, and closes the store when done.
 *
 * <p>Public for {@code dev.tend.cli} only: {@code KvCommand}, {@link dev.tend.cli.kv.KvContext} (the environment and
 * the streams and the confirmations' {@code dev.tend.cli.command.Prompter}, injected so tests never touch
 * {@code System}) and
 * {@link dev.tend.cli.kv.KvGetRaw}, which serves {@code tend kv [--store URL] get BUCKET KEY --raw} without picocli,
 * with the same answers and errors, and {@link dev.tend.cli.kv.KvFastPath}, which makes the short commands
 * ({@code put}, {@code create}, {@code update}, {@code del}, {@code get}, {@code keys}, {@code ls}, {@code info},
 * {@code history}) in their plain shapes without picocli and sets the fields picocli would. The output shapes ({@code InfoBlock}, {@code dev.tend.cli.output}) and the
 * behaviour of each command are in docs/cli-kv.md.
 *
 * <p>Uses the store's API, its backup ({@code dev.tend.kv.backup}: {@code backup}, {@code restore}), the embedded
 * store's {@code check} ({@code tend kv check}) and {@code dev.tend.units} for durations and sizes; of the CLI only
 * {@code command}, {@code output} and {@code store}, never another command family.
 */
package dev.tend.cli.kv;
