package dev.tend.watchers.schedule;

import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Alarms fired by one Quartz scheduler (in memory, one worker thread). Quartz waits for wall-clock times, re-checking the
 * clock, so an alarm set for 02:00 fires at 02:00 even after the clock was adjusted or the machine was suspended (a
 * delay on a {@code ScheduledExecutorService} counts elapsed time instead); an alarm found late fires at once.
 *
 * <p>Each alarm is one job with one trigger; the task itself stays in this object (Quartz only sees its key), so nothing
 * is serialized and nothing is shared between instances.
 */
final class QuartzAlarms implements Alarms, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QuartzAlarms.class);
    private static final String GROUP = "tend-schedule";

    private final Scheduler scheduler;
    private final Map<String, Runnable> tasks = new ConcurrentHashMap<>();

    private QuartzAlarms(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Creates and starts a scheduler whose threads are named {@code tend-schedule-<id>} and
     * {@code tend-schedule-<id>-worker-1}.
     *
     * @throws IllegalStateException when Quartz cannot start
     */
    static QuartzAlarms start() {
        // Quartz keeps schedulers in a JVM-wide registry by name: a unique name keeps two runtimes apart.
        String name = "tend-schedule-" + UUID.randomUUID().toString().substring(0, 8);
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.scheduler.threadName", name);
        // Daemon threads: they only wait for alarms, and must not keep a JVM alive whose runtime forgot to close.
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.scheduler.jmx.export", "false");
        p.setProperty("org.quartz.scheduler.rmi.export", "false");
        p.setProperty("org.quartz.scheduler.rmi.proxy", "false");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", name + "-worker");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        try {
            Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
            QuartzAlarms alarms = new QuartzAlarms(scheduler);
            scheduler.setJobFactory((bundle, s) -> new AlarmJob(alarms));
            scheduler.start();
            return alarms;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler of the schedule watchers: " + e.getMessage(), e);
        }
    }

    @Override
    public Alarm at(Instant when, Runnable task) {
        String id = UUID.randomUUID().toString();
        JobDetail job = JobBuilder.newJob(AlarmJob.class).withIdentity(id, GROUP).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(id, GROUP).startAt(Date.from(when))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        tasks.put(id, task);
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (SchedulerException e) {
            tasks.remove(id);
            throw new IllegalStateException("cannot set an alarm for " + when + ": " + e.getMessage(), e);
        }
        return () -> cancel(job.getKey());
    }

    /** Alarms set and not yet run or cancelled (tests). */
    int pending() {
        return tasks.size();
    }

    /** Stops the scheduler and its threads; pending alarms never run. */
    @Override
    public void close() {
        tasks.clear();
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("stopping the scheduler of the schedule watchers failed: {}", e.getMessage());
        }
    }

    private void cancel(JobKey key) {
        if (tasks.remove(key.getName()) == null) {
            return; // ran or cancelled already
        }
        try {
            scheduler.deleteJob(key);
        } catch (SchedulerException e) {
            LOG.debug("cannot delete alarm {}: {}", key, e.getMessage()); // its task is gone: it would do nothing
        }
    }

    private void fire(String id) {
        Runnable task = tasks.remove(id);
        if (task == null) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("a schedule alarm failed: {}", e.toString(), e);
        }
    }

    /** What Quartz runs: looks the alarm's task up by the job's name. Created by the job factory set above only. */
    static final class AlarmJob implements Job {
        private final QuartzAlarms alarms;

        AlarmJob(QuartzAlarms alarms) {
            this.alarms = alarms;
        }

        @Override
        public void execute(JobExecutionContext context) {
            alarms.fire(context.getJobDetail().getKey().getName());
        }
    }
}
