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

    static final String WINDOW_STATS = """
            {"deviceId":"ac","channel":"power","unit":"W","count":96,"min":38.2,"max":1165.3,"mean":512.7,\
            "stddev":520.4,"first":{"timestamp":"2024-05-01T14:45:00Z","value":1120.4},\
            "last":{"timestamp":"2024-05-01T15:00:00Z","value":44.1},"energyWh":134.2,\
            "window":{"from":"2024-05-01T14:45:00Z","to":"2024-05-01T15:00:00Z","resolution":"PT1M"}}""";

    static final String HISTORY = """
            {"deviceId":"washing-machine","channel":"power","unit":"W","resolution":"PT1H",\
            "from":"2024-05-01T07:00:00Z","to":"2024-05-01T09:00:00Z","buckets":[\
            {"start":"2024-05-01T07:00:00Z","end":"2024-05-01T08:00:00Z","count":360,"min":0.8,"max":1.2,\
            "mean":1.0,"stddev":0.12,"first":{"timestamp":"2024-05-01T07:00:00Z","value":1.1},\
            "last":{"timestamp":"2024-05-01T07:59:50Z","value":0.9},"energyWh":1.0},\
            {"start":"2024-05-01T08:00:00Z","end":"2024-05-01T09:00:00Z","count":360,"min":0.9,"max":2169.7,\
            "mean":731.3,"stddev":880.5,"first":{"timestamp":"2024-05-01T08:00:00Z","value":104.7},\
            "last":{"timestamp":"2024-05-01T08:59:50Z","value":290.2},"energyWh":731.2}],"truncated":false}""";

    static final String BAD_WINDOW = """
            {"title":"Bad Request","status":400,"detail":"query parameter window: 'PT15' is not an ISO-8601 duration \
            such as PT15M","instance":"/api/devices/ac/power"}""";

    static final String BAD_RESOLUTION = """
            {"title":"Bad Request","status":400,"detail":"query parameter resolution: 'PT5M' is not one of PT1M, PT1H, \
            P1D","instance":"/api/devices/ac/power/series"}""";

    static final String DEVICE = """
            {"deviceId":"ac","lastHeardAt":"2024-05-01T10:00:02.120Z","series":[""" + TEMP_STATS + "]}";

    static final String NOT_FOUND = """
            {"title":"Not Found","status":404,"detail":"no device 'dryer' has sent readings",\
            "instance":"/api/devices/dryer"}""";

    static final String BAD_REQUEST = """
            {"title":"Bad Request","status":400,"detail":"path parameter deviceId: 'a b' is invalid: \
            it must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'","instance":"/api/devices/a%20b"}""";

    static final String RULE = """
            {"id":"hot-wash","device":"washing-machine","channel":"temp","above":70,"for":"PT30S"}""";

    static final String SILENCE_RULE = """
            {"id":"ac-offline","device":"ac","channel":"power","silentFor":"PT5M"}""";

    static final String RULES = """
            [{"id":"hot-wash","device":"washing-machine","channel":"temp","above":70.0,"for":"PT30S",\
            "description":"washing-machine temp > 70 °C for PT30S"},{"id":"ac-offline","device":"ac","channel":"power",\
            "silentFor":"PT5M","description":"ac power silent for PT5M"}]""";

    static final String ALERTS = """
            [{"rule":"hot-wash","deviceId":"washing-machine","channel":"temp","state":"firing",\
            "at":"2024-05-01T10:42:30Z","value":71.5,"detail":"washing-machine temp 71.5 °C: washing-machine temp > 70 °C \
            for PT30S, crossed since 2024-05-01T10:42:00Z"}]""";

    static final String BAD_RULE = """
            {"title":"Bad Request","status":400,"detail":"rule field above: must be a number, got \\"hot\\"",\
            "instance":"/api/alerts/rules"}""";

    static final String CONFLICT = """
            {"title":"Conflict","status":409,"detail":"an alert rule 'hot-wash' exists; DELETE it first to replace it",\
            "instance":"/api/alerts/rules"}""";

    static final String UNAUTHORIZED = """
            {"title":"Unauthorized","status":401,"detail":"changing alert rules needs the X-API-Key header",\
            "instance":"/api/alerts/rules"}""";

    private Examples() {
    }
}
