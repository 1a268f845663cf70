/**
 * The settings every command reads the same way, first match wins: the command-line flag, the environment variable
 * {@code TEND_<KEY>}, the config files ({@code tend.yaml}: the user's, then the system's), the built-in default; each
 * value with where it came from ({@link dev.tend.cli.settings.Sourced}, {@link dev.tend.cli.settings.Source}) for
 * {@code tend config} and for errors naming {@code FILE:LINE}. {@link dev.tend.cli.settings.SettingLookup} looks one
 * up, {@link dev.tend.cli.settings.AgentLocations} resolves the agent's locations and identity,
 * {@link dev.tend.cli.settings.ConfigKeys} names the keys. Shared by {@code tend agent}, {@code tend machine} and
 * {@code tend config}; knows no command. The store's own settings stay in {@code dev.tend.cli.store}.
 */
package dev.tend.cli.settings;
