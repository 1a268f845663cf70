package dev.tend.kv.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logger looked up on first use: a read that logs nothing never starts the logging framework, which is a
 * noticeable part of a one-shot command's start-up.
 */
final class LazyLogger {
    private final Class<?> owner;
    private volatile Logger logger;

    LazyLogger(Class<?> owner) {
        this.owner = owner;
    }

    Logger get() {
        Logger l = logger;
        if (l == null) {
            l = LoggerFactory.getLogger(owner);
            logger = l;
        }
        return l;
    }
}
