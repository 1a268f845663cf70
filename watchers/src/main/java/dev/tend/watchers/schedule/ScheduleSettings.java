package dev.tend.watchers.schedule;

import java.time.Duration;
import java.util.List;

/**
 * A schedule watcher's properties, read.
 *
 * @param schedules            one per item of {@code schedules}, in order
 * @param texts                the items as written, for logs
 * @param duration             how long each window stays open, measured from its scheduled time
 * @param startSplay           windows open after a random delay in [0, startSplay)
 * @param skipTriggerOnReenter fire success at most once per on-period
 * @param startInWindow        Tend only: a window open when the watcher starts counts as opened (Choria waits for the
 *                             next one)
 */
record ScheduleSettings(List<Schedule> schedules, List<String> texts, Duration duration, Duration startSplay,
                        boolean skipTriggerOnReenter, boolean startInWindow) {
    ScheduleSettings {
        schedules = List.copyOf(schedules);
        texts = List.copyOf(texts);
    }
}
