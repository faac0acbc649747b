package io.telemetry.monitor.api;

import io.telemetry.monitor.cluster.Peers;

/** The answer of the monitor that owns what a request asked for, to be passed on as it is. */
public class OwnerAnswered extends RuntimeException {

    private final transient Peers.Answer answer;

    public OwnerAnswered(Peers.Answer answer) {
        super(null, null, false, false);
        this.answer = answer;
    }

    public Peers.Answer answer() {
        return answer;
    }
}
