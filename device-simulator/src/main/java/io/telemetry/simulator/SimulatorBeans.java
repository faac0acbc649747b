package io.telemetry.simulator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The checked device and its progress counters, as beans. */
public class SimulatorBeans {

    @Produces
    @Singleton
    Device device(SimulatorConfig config) {
        return Device.from(config);
    }

    @Produces
    @Singleton
    Progress progress(Device device) {
        return new Progress(device.files().keySet());
    }
}
