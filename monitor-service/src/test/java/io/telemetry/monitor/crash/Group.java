package io.telemetry.monitor.crash;

import java.util.ArrayList;
import java.util.List;

/** The packaged monitors of one scenario's consumer group, each named, all stopped at the end of a test. */
final class Group implements AutoCloseable {

    private final Scenario scenario;
    private final List<AppProcess> started = new ArrayList<>();
    /** Those still running, in the order they started. */
    final List<AppProcess> monitors = new ArrayList<>();

    Group(Scenario scenario) {
        this.scenario = scenario;
    }

    /** Starts monitors with these instance ids, all at once, and waits until each is ready. */
    Group start(String... ids) throws Exception {
        List<AppProcess> starting = new ArrayList<>();
        for (String id : ids) {
            AppProcess monitor = AppProcess.monitor(scenario.name + "-" + id, scenario.member(id, "PT1S"));
            started.add(monitor);
            starting.add(monitor);
        }
        starting.forEach(AppProcess::awaitReady);
        monitors.addAll(starting);
        return this;
    }

    /** Takes a running monitor out of the group, to kill or stop it. */
    AppProcess remove(int index) {
        return monitors.remove(index);
    }

    @Override
    public void close() throws InterruptedException {
        for (AppProcess monitor : started) {
            monitor.close();
        }
    }
}
