package dev.tend.watchers.schedule;

/** A schedule that cannot be read; the message says what is wrong in one line, without the schedule's text. */
final class ScheduleException extends Exception {
    ScheduleException(String message) {
        super(message);
    }
}
