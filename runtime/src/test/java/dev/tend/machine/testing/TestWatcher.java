package dev.tend.machine.testing;

import dev.tend.machine.spi.MachineDataException;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.machine.spi.WatcherProperties;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A watcher of type {@code test}; see {@link TestWatcherFactory}. Everything here runs on the watcher's lane. */
final class TestWatcher implements Watcher {

    private final WatcherContext context;
    private final TestWatcherFactory.Listener listener;
    private final WatcherProperties properties;

    private int activations;
    private int fires;
    private String message = "";
    private WatcherLane.Scheduled successTimer;
    private WatcherLane.Scheduled failTimer;
    private boolean stopped;

    TestWatcher(WatcherContext context, TestWatcherFactory.Listener listener) {
        this.context = context;
        this.listener = listener;
        this.properties = context.definition().properties();
    }

    @Override
    public void start() {
        listener.called(call(TestWatcherCall.Kind.STARTED));
        if (properties.bool("fail_start")) {
            throw new IllegalStateException("fail_start is set");
        }
        if (context.isActive()) {
            activate();
        }
    }

    @Override
    public void dataChanged() {
        listener.called(call(TestWatcherCall.Kind.DATA_CHANGED));
    }

    @Override
    public void stateChanged() {
        listener.called(call(TestWatcherCall.Kind.STATE_CHANGED));
        if (stopped) {
            return;
        }
        if (context.isActive()) {
            activate();
        } else {
            cancelTimers();
        }
    }

    @Override
    public void stop() {
        stopped = true;
        cancelTimers();
        listener.called(call(TestWatcherCall.Kind.STOPPED));
    }

    @Override
    public void delete() {
        stopped = true;
        cancelTimers();
        listener.called(call(TestWatcherCall.Kind.DELETED));
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("state", stopped ? "stopped" : context.isActive() ? "active" : "idle");
        state.put("activations", activations);
        state.put("fires", fires);
        state.put("message", message);
        state.put("tags", properties.stringList("tags"));
        state.put("labels", properties.map("labels"));
        return state;
    }

    TestWatcherCall call(TestWatcherCall.Kind kind) {
        return new TestWatcherCall(context.machineName(), context.definition().name(), kind, context.currentState(),
                context.isActive());
    }

    private void activate() {
        activations++;
        cancelTimers();
        String state = context.currentState();
        message = render(properties.string("message"));
        record(state);
        storeData();
        listener.called(call(TestWatcherCall.Kind.ACTIVATED));
        boolean mayFire = !("once".equals(properties.string("mode")) && activations > 1);
        if (mayFire) {
            if (properties.isSet("success_after")) {
                successTimer = later(properties.duration("success_after"), context::fireSuccess);
            }
            if (properties.isSet("fail_after")) {
                failTimer = later(properties.duration("fail_after"), context::fireFail);
            }
        }
        context.publishState(currentState());
    }

    private WatcherLane.Scheduled later(Duration delay, Runnable fire) {
        return context.lane().schedule(delay, () -> fireNow(fire));
    }

    private void fireNow(Runnable fire) {
        long max = properties.integer("max_fires", 0);
        if (stopped || (max > 0 && fires >= max)) {
            return;
        }
        fires++;
        listener.called(call(TestWatcherCall.Kind.FIRED));
        fire.run();
    }

    private void cancelTimers() {
        if (successTimer != null) {
            successTimer.cancel();
            successTimer = null;
        }
        if (failTimer != null) {
            failTimer.cancel();
            failTimer = null;
        }
    }

    private String render(String template) {
        if (template == null || template.isEmpty()) {
            return "";
        }
        try {
            return context.templates().render(template);
        } catch (TemplateException e) {
            context.logger().warn("message: {}", e.getMessage());
            return "";
        }
    }

    private void record(String state) {
        String file = properties.string("record");
        if (file == null || file.isEmpty()) {
            return;
        }
        String line = (message.isEmpty() ? state : state + " " + message) + "\n";
        Path target = context.machineDirectory().resolve(file);
        try {
            Files.writeString(target, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            context.logger().warn("cannot record to {}: {}", target, e.toString());
        }
    }

    private void storeData() {
        String key = properties.string("data_key");
        if (key == null || key.isEmpty()) {
            return;
        }
        Object value = properties.isSet("data_value") ? properties.value("data_value").orElse(null) : message;
        try {
            context.data().put(key, value);
        } catch (MachineDataException e) {
            context.logger().warn("{}", e.getMessage());
        }
    }
}
