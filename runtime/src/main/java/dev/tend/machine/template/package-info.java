/**
 * Watcher property templates: the subset of Go's {@code text/template} that Choria's machines use, with its functions
 * ({@code lookup}, {@code Title}, {@code Capitalize}, {@code ToLower}, {@code ToUpper}, {@code StringsJoin},
 * {@code Base64Encode}, {@code Base64Decode}, and Choria Scout's {@code o} over the machine's overrides) and the gjson
 * path subset that {@code lookup} reads. Written by hand: no Java library reads Go's template syntax.
 * docs/machines.md ("Templates") is what users may write.
 *
 * <p>Public: {@link dev.tend.machine.template.TemplateRenderer} (start here), the SPI's {@code Templates} that the
 * engine gives each machine over its data and the node's facts, whose static {@code check} validates a template without
 * rendering it; and {@link dev.tend.machine.template.JsonPaths}, the same path syntax for watchers that query JSON-like
 * values themselves. The built-in kv watcher uses both (at load, and for its {@code query}), the one place a watcher
 * reaches past the SPI; everything else is package-private.
 *
 * <p>The pipeline: {@code TemplateLexer} (text and action tokens, trim markers, comments) feeds {@code TemplateParser}
 * (recursive descent; resolves functions and checks their argument counts, so a bad template fails before it renders)
 * into a {@code ParsedTemplate} of {@code Expr}s, which {@code Evaluator} renders against a {@code RenderScope} (data
 * and facts fetched at most once per rendering). {@code TemplateFunctions} holds the functions, {@code JsonQuery} the
 * path lookups, {@code ValueText} how values print (also, in Go's notation, Tiny Hiera's placeholders),
 * {@code TitleCase} Go's title casing; errors name the column through {@code TemplateSource}.
 *
 * <p>Depends on the watcher SPI ({@code Templates}, {@code TemplateException}) and Jackson (maps and lists print as
 * compact JSON).
 */
package dev.tend.machine.template;
