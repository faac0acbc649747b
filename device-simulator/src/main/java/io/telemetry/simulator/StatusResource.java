package io.telemetry.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The simulator's progress over HTTP: the same figures as its progress log line. */
@Path("/simulator/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    /**
     * @param read     readings taken from the CSV so far
     * @param sent     readings Kafka has acknowledged
     * @param failed   readings Kafka refused after its retries
     * @param badRows  CSV rows skipped as invalid
     */
    @RegisterForReflection
    public record ChannelStatus(String file, long read, long sent, long failed, long badRows, boolean done) {
    }

    @RegisterForReflection
    public record Status(String deviceId, double replaySpeed, boolean loop, double seconds, long sent,
            double readingsPerSecond, boolean done, Map<String, ChannelStatus> channels) {
    }

    private final Device device;
    private final Progress progress;

    public StatusResource(Device device, Progress progress) {
        this.device = device;
        this.progress = progress;
    }

    @GET
    public Status status() {
        Map<String, ChannelStatus> channels = new LinkedHashMap<>();
        progress.channels().forEach((channel, counts) -> channels.put(channel.id(), new ChannelStatus(
                device.files().get(channel).toString(), counts.read(), counts.sent(), counts.failed(), counts.badRows(),
                counts.done())));
        double seconds = progress.seconds();
        long sent = progress.sent();
        return new Status(device.deviceId(), device.replaySpeed(), device.loop(), seconds, sent,
                sent / Math.max(1e-9, seconds), progress.done(), channels);
    }
}
