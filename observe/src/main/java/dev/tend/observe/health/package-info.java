/**
 * The agent's health check ({@code /healthz}): {@link dev.tend.observe.health.HealthHandler} runs
 * {@link dev.tend.observe.health.HealthCheck}s (a name and what is wrong now, if anything) on each request and answers
 * 200 or 503 with a JSON reason. What is checked is given by {@code tend agent} ({@code dev.tend.cli.agent}).
 */
package dev.tend.observe.health;
