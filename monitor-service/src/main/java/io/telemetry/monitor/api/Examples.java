package io.telemetry.monitor.api;

/** Example payloads shown in the OpenAPI document. */
final class Examples {

    static final String DEVICES = """
            [{"deviceId":"ac","channels":["temp","power"],"lastHeardAt":"2024-05-01T10:00:02.120Z",\
            "lastReadingAt":"2024-05-01T10:00:00Z"}]""";

    static final String POWER_STATS = """
            {"deviceId":"washing-machine","channel":"power","unit":"W","count":8640,"min":0.5,"max":2210.0,\
            "mean":312.4,"stddev":541.2,"first":{"timestamp":"2024-05-01T00:00:00Z","value":0.6},\
            "last":{"timestamp":"2024-05-01T23:59:50Z","value":0.5},"energyWh":7497.6}""";

    static final String TEMP_STATS = """
            {"deviceId":"ac","channel":"temp","unit":"°C","count":8640,"min":21.8,"max":27.9,"mean":24.1,\
            "stddev":1.3,"first":{"timestamp":"2024-05-01T00:00:00Z","value":25.2},\
            "last":{"timestamp":"2024-05-01T23:59:50Z","value":24.9}}""";

    static final String DEVICE = """
            {"deviceId":"ac","lastHeardAt":"2024-05-01T10:00:02.120Z","series":[""" + TEMP_STATS + "]}";

    static final String NOT_FOUND = """
            {"title":"Not Found","status":404,"detail":"no device 'dryer' has sent readings",\
            "instance":"/api/devices/dryer"}""";

    static final String BAD_REQUEST = """
            {"title":"Bad Request","status":400,"detail":"path parameter deviceId: deviceId 'a b' is invalid: \
            it must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'","instance":"/api/devices/a%20b"}""";

    private Examples() {
    }
}
