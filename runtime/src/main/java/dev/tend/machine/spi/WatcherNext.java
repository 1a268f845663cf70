package dev.tend.machine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a watcher will do next on its own and when, as {@code tend machine info} shows it: a timer {@code expires}, a
 * schedule's window {@code opens} or {@code closes}, a command {@code runs} again. A watcher reports it through
 * {@link WatcherContext#recordNext} when it sets the timer that will do it.
 *
 * @param what a verb for what happens then ({@code expires}, {@code opens}, {@code closes}, {@code runs}, ...)
 * @param at   when
 */
public record WatcherNext(String what, Instant at) {
    public WatcherNext {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(at, "at");
    }
}
