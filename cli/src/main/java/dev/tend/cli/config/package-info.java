/**
 * {@code tend config}: the effective settings of {@code tend.yaml}, the environment and the flags, each with where it
 * came from ({@link dev.tend.cli.config.ConfigCommand}, resolved by {@link dev.tend.cli.config.EffectiveSettings}
 * through {@code dev.tend.cli.settings} and {@code dev.tend.cli.store}). docs/configuration.md documents every key.
 */
package dev.tend.cli.config;
