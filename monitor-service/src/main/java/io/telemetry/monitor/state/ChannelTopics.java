package io.telemetry.monitor.state;

import java.util.List;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.telemetry.reading.Channel;

/** The topic each channel's readings come from ({@code TEMP_TOPIC}, {@code POWER_TOPIC}), and back. */
@Singleton
public class ChannelTopics {

    private final String temp;
    private final String power;

    public ChannelTopics(@ConfigProperty(name = "mp.messaging.incoming.temp.topic") String temp,
            @ConfigProperty(name = "mp.messaging.incoming.power.topic") String power) {
        this.temp = temp;
        this.power = power;
    }

    public String topic(Channel channel) {
        return channel == Channel.TEMP ? temp : power;
    }

    /** Both channels' topics. */
    public List<String> all() {
        return List.of(temp, power);
    }
}
