/**
 * The {@code tend} program: its entry point, the top command and what every run sets up. It is the only package that
 * knows every command family ({@code kv}, {@code machine}, {@code agent}, {@code governor},
 * {@code fleet}); nothing here is an API for other modules.
 *
 * <p>Start with {@link dev.tend.cli.Main}: it serves the plain {@code tend kv get BUCKET KEY --raw} without picocli
 * ({@code kv.KvGetRaw}), then the other short commands in their plain shapes ({@code FastPath}: {@code --version},
 * the help texts picocli rendered at build time ({@code HelpFastPath}, {@code HelpColours}), {@code kv.KvFastPath}, {@code machine.MachineFastPath}, {@code agent.AgentFastPath}, which make the command objects
 * picocli would and run them unchanged), and hands everything else to {@link dev.tend.cli.Cli}, which runs picocli on
 * {@link dev.tend.cli.TendCommand} with only the subcommand tree a run needs (its help lists the commands in groups,
 * {@code CommandGroups}), and turns every error into one line, {@code tend: <message>} (a mistyped word with the
 * nearest names, {@code command.Suggestions}), and an exit status ({@code command.ExitCodes}; a stack trace only with {@code --debug}).
 *
 * <p>Logging: {@link dev.tend.cli.LogbackConfigurator} sets logback up in code (registered in
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}; {@code logback.xml} is only a fallback), its
 * line made by {@code LineLayout} from logback's converters (or {@code JsonLineLayout}'s JSON object with
 * {@code --log-format json}), {@link dev.tend.cli.LogbackStatusListener} keeps logback's own messages off standard
 * output, {@code command.LogControl} applies {@code --debug}, {@code --log-level} and {@code --log-format}. {@link dev.tend.cli.VersionProvider} answers {@code --version}.
 *
 * <p>Run by the build, not by users: {@link dev.tend.cli.HelpTexts} (in {@code process-classes}: picocli's text for
 * every help command line, into the classes) and, in {@code package}, {@link dev.tend.cli.CdsTraining} (the training
 * run that writes the class-data-sharing archive {@code tend.jsa}), {@link dev.tend.cli.AgentCdsTraining} (runs the
 * agent briefly on the examples of the core watcher types to list the classes of the agent's static archive
 * {@code tend-agent.jsa}) and
 * {@link dev.tend.cli.CompletionScript} (writes
 * {@code tend_completion}). docs/architecture.md (cli) describes the packaging and the launcher.
 */
package dev.tend.cli;
