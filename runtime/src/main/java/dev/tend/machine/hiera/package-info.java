/**
 * Tiny Hiera: Choria's hierarchical data, a single document of base {@code data}, named {@code overrides} and a
 * {@code hierarchy} whose entries, resolved against the node's facts ({@code env:{{ lookup('facts.env') }}}), say which
 * overrides apply and how they merge ({@code first} or {@code deep}). The kv watcher's {@code hiera_config} uses it.
 *
 * <p>Entry point: {@link dev.tend.machine.hiera.HieraResolver#resolve}, over a document already parsed by Jackson or
 * SnakeYAML; a document that cannot be resolved is a {@link dev.tend.machine.hiera.HieraException} with a one-line
 * message. The placeholders' expressions are the runtime's expression language ({@code dev.tend.machine.expression},
 * docs/expressions.md) with {@code lookup()} ({@code FactLookup}) as the only function of the caller:
 * {@code Placeholder} finds them in a text, {@code CompiledExpressions} compiles each once, {@code Interpolator}
 * evaluates them. {@code Hierarchy} reads the section, {@code DataMerge} merges, {@code NumericValues} makes numbers
 * uniform; a value inside a text reads as Go's {@code fmt} prints it ({@code dev.tend.machine.template.ValueText#GO}).
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code kv}, "Tiny Hiera".
 */
package dev.tend.machine.hiera;
