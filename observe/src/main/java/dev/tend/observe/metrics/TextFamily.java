package dev.tend.observe.metrics;

import java.io.IOException;

/**
 * A metric family that writes its own text exposition from bytes it keeps per series ({@link SeriesText}), rather
 * than through the client's snapshots and text writer: the few families with a series per machine. It is registered
 * in the registry as well (as a collector giving the same figures), so {@code PrometheusRegistry.scrape()} still sees
 * it; {@link MetricsHandler} leaves it out of the registry's scrape and writes it in its place, in name order.
 */
interface TextFamily {

    /** The family's name as the registry orders it (a counter's without {@code _total}). */
    String prometheusName();

    /** Writes the family's lines, nothing when it has no series: what the client's text writer writes for it. */
    void writeText(TextOut out) throws IOException;
}
