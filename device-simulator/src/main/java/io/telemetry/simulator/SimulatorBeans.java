package io.telemetry.simulator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;

/** The checked device and its progress counters, as beans. */
public class SimulatorBeans {

    private static final Logger LOG = Logger.getLogger(SimulatorBeans.class);

    /**
     * The device to simulate. A configuration that names no valid device, or no readable files, is
     * reported in one line and the simulator exits with status 2, sending nothing: the alternative, a
     * failure thrown while the messaging channels start, buries that line in two hundred of stack trace.
     */
    @Produces
    @Singleton
    Device device(SimulatorConfig config) {
        try {
            return Device.from(config);
        } catch (IllegalArgumentException e) {
            LOG.errorf("Cannot simulate: %s", e.getMessage());
            Quarkus.asyncExit(2);
            return Device.NONE;
        }
    }

    @Produces
    @Singleton
    Progress progress(Device device) {
        return new Progress(device.files().keySet());
    }
}
