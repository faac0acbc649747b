package io.telemetry.monitor.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.telemetry.monitor.JsonNumbers;
import io.telemetry.monitor.SeriesOracle.Sample;

/**
 * Several packaged monitors in one group on topics of six partitions: each holds a part of the partitions,
 * and every one of them answers for every device, equal to an oracle computed here, whichever owns it.
 */
class ScaleOutIT {

    static final int PARTITIONS = 6;
    /** The worker threads of the monitors of the frozen-owner test. */
    static final int WORKERS = 8;
    /** The power (W) above which the rule {@code peak} fires: about one reading in 200 of the scenario's. */
    static final double PEAK = 1990;
    /** The recordings' devices and generated ones: enough for every partition to have some. */
    static final List<String> DEVICES = Stream.concat(Scenario.DEVICES.stream(),
            IntStream.range(0, 21).mapToObj(i -> String.format("unit-%02d", i))).toList();

    @RegisterExtension
    static final LocalBroker broker = new LocalBroker(Path.of("target", "scale-out-it-kafka"));

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    @Test
    void monitorsJoiningOneByOneMidStreamEachHoldAPartAndEachAnswersForEveryDevice() throws Exception {
        Scenario scenario = new Scenario(broker, "joins", DEVICES).partitions(PARTITIONS)
                .with("MONITOR_ALERTS_RULES", "[{\"id\":\"peak\",\"channel\":\"power\",\"above\":" + PEAK + "}]");
        scenario.send(100);
        try (Group group = new Group(scenario).start("m1")) {
            List<AppProcess> monitors = group.monitors;
            awaitSettled(monitors, scenario);
            group.start("m2");
            awaitSettled(monitors, scenario);
            for (AppProcess monitor : monitors) {
                scenario.assertExact(monitor);
            }

            group.start("m3");
            awaitSettled(monitors, scenario);
            scenario.send(100);
            awaitSettled(monitors, scenario);

            Map<String, Set<String>> held = new HashMap<>();
            Set<String> all = new HashSet<>();
            for (AppProcess monitor : monitors) {
                List<String> mine = monitor.http().get("/api/cluster/self").jsonPath()
                        .getList("held.collect { it.topic + '-' + it.partition }", String.class);
                assertThat(mine).as("partitions held by one of three").isNotEmpty().hasSizeLessThan(2 * PARTITIONS);
                assertThat(all).as("partitions held twice").doesNotContainAnyElementsOf(mine);
                all.addAll(mine);
                held.put(monitor.http().get("/api/cluster/self").jsonPath().getString("id"), Set.copyOf(mine));
            }
            assertThat(all).as("partitions held by the three").hasSize(2 * PARTITIONS);

            // The monitors that gave partitions to the others must not answer their frozen figures for them.
            for (AppProcess monitor : monitors) {
                scenario.assertExact(monitor);
                assertLists(monitor, scenario);
            }
            assertAnswersComeFromTheOwner(monitors.get(0), scenario, held);
            assertStatusAndAlertsOfTheWholeGroup(monitors, scenario);
            assertStreamPassesOnAnotherOwnersReadings(monitors.get(0), scenario, held);
            assertRequestsNotForwardedWhenMalformedOrAnsweredByTheOwnerWhenUnknown(monitors);
        }
    }

    @Test
    void aMonitorKilledAndAnotherStoppedLeaveNoKnownDeviceUnansweredAsUnknownAndTheSurvivorsExact() throws Exception {
        Scenario scenario = new Scenario(broker, "churn", DEVICES).partitions(PARTITIONS);
        scenario.send(100);
        try (Group group = new Group(scenario).start("m1", "m2", "m3")) {
            List<AppProcess> monitors = group.monitors;
            awaitSettled(monitors, scenario);
            awaitSnapshotsInTheReplica(monitors.get(0));
            awaitSnapshotsInTheReplica(monitors.get(1));

            AppProcess killed = group.remove(2);
            killed.kill();
            scenario.send(50);
            // Its partitions answer from the survivors' replicas until their new owners have restored them.
            Map<Integer, Integer> statuses = pollEveryDevice(monitors, scenario, Duration.ofSeconds(30));
            assertThat(statuses).as("answers while the group noticed the killed monitor and moved its partitions")
                    .containsOnlyKeys(200);
            awaitSettled(monitors, scenario);
            for (AppProcess monitor : monitors) {
                scenario.assertExact(monitor);
                assertLists(monitor, scenario);
            }

            AppProcess stopped = group.remove(1);
            stopped.stop(); // SIGTERM: it saves and leaves the group at once
            scenario.send(50);
            awaitSettled(monitors, scenario);
            scenario.assertExact(monitors.get(0));
            assertLists(monitors.get(0), scenario);
        }
    }

    @Test
    void aMonitorFrozenPastItsSessionServesNoneOfItsOldStateAsCurrentWhenItWakes() throws Exception {
        // Few worker threads: hops that held one each while they waited would leave none for anything else.
        Scenario scenario = new Scenario(broker, "frozen", DEVICES).partitions(PARTITIONS)
                .with("QUARKUS_THREAD_POOL_MAX_THREADS", Integer.toString(WORKERS));
        scenario.send(100);
        try (Group group = new Group(scenario).start("m1", "m2", "m3")) {
            List<AppProcess> monitors = group.monitors;
            awaitSettled(monitors, scenario);
            AppProcess frozen = monitors.get(2);
            List<String> itsPower = frozen.http().get("/api/cluster/self").jsonPath()
                    .getList("held.findAll { it.topic == '" + scenario.topic("power") + "' }.partition", String.class);
            assertThat(itsPower).as("power partitions of the monitor to freeze").isNotEmpty();

            String frozenId = frozen.http().get("/api/cluster/self").jsonPath().getString("id");
            String device = scenario.devices().stream().filter(id -> itsPower.contains(Integer.toString(
                    Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS))).findFirst().orElseThrow();
            AppProcess asked = monitors.get(0);
            List<String> askedPower = asked.http().get("/api/cluster/self").jsonPath()
                    .getList("held.findAll { it.topic == '" + scenario.topic("power") + "' }.partition", String.class);
            String ownDevice = scenario.devices().stream().filter(id -> askedPower.contains(Integer.toString(
                    Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS))).findFirst().orElseThrow();
            awaitSnapshotsInTheReplica(asked);

            frozen.freeze(); // SIGSTOP: it stays in the group until its session (10 s) ends, then loses its partitions
            List<AppProcess> survivors = List.of(monitors.get(0), monitors.get(1));
            // Twice as many hops to the frozen owner as the monitor asked has worker threads, all waiting at once...
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> waiting = IntStream.range(0, 2 * WORKERS)
                    .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(URI.create(asked.url() + "/api/devices/" + device
                            + "/power")).build(), HttpResponse.BodyHandlers.ofString())).toList();
            Thread.sleep(500); // (they have reached the monitor asked)
            // ... and it answers for a device of its own before any of them is answered (5 s): no thread waits for a hop.
            Response own = asked.http().get("/api/devices/" + ownDevice + "/power");
            long answered = waiting.stream().filter(CompletableFuture::isDone).count();
            assertThat(own.statusCode()).as(own.asString()).isEqualTo(200);
            assertThat(own.header("X-Source")).isEqualTo("owner");
            assertThat(answered).as("hops to the frozen owner answered before the monitor asked answered for its own device")
                    .isZero();
            scenario.send(50); // what the frozen monitor never sees: its old figures are behind these
            // Its owner does not answer (5 s), and is still its owner: the replica answers, as of the owner's last save.
            Response fromReplica = asked.http().get("/api/devices/" + device + "/power");
            assertThat(fromReplica.statusCode()).as(fromReplica.asString()).isEqualTo(200);
            assertThat(fromReplica.header("X-Source")).isEqualTo("replica");
            assertThat(fromReplica.header("X-Served-By")).isNotEqualTo(frozenId);
            assertThat(fromReplica.header("X-Replica-Applied-Through")).startsWith(scenario.topic("power") + "-");
            assertThat(fromReplica.header("X-Replica-Saved-At")).isNotNull();
            assertThat(fromReplica.jsonPath().getLong("count")).as(device + " power count in the last save of its frozen owner")
                    .isEqualTo(100);
            for (CompletableFuture<HttpResponse<String>> hop : waiting) {
                HttpResponse<String> answer = hop.get(60, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
            Map<Integer, Integer> statuses = pollEveryDevice(survivors, scenario, Duration.ofSeconds(15));
            assertThat(statuses).as("answers while one monitor is frozen, then its partitions move").containsOnlyKeys(200);
            awaitSettled(survivors, scenario);
            for (AppProcess monitor : survivors) {
                scenario.assertExact(monitor);
            }

            frozen.wake(); // SIGCONT: it holds its old partitions until its consumer hears they are gone
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Map<String, Integer> woken = new TreeMap<>(); // status and source
            while (System.nanoTime() < end) {
                for (String id : scenario.devices()) {
                    Response answer = frozen.http().get("/api/devices/" + id + "/power");
                    woken.merge(answer.statusCode() + " " + answer.header("X-Source"), 1, Integer::sum);
                    if (answer.statusCode() == 200 && "owner".equals(answer.header("X-Source"))) {
                        assertThat(answer.jsonPath().getLong("count")).as(id + " power count from the woken monitor, "
                                + "served by " + answer.header("X-Served-By")).isEqualTo(scenario.sent.get(id + "/power").size());
                    } else if (answer.statusCode() == 200) {
                        assertThat(answer.header("X-Source")).isEqualTo("replica");
                        assertThat(answer.jsonPath().getLong("count")).as(id + " power count from the woken monitor's replica")
                                .isBetween(100L, (long) scenario.sent.get(id + "/power").size());
                    }
                }
            }
            assertThat(woken.keySet()).as("answers of the woken monitor: " + woken).isSubsetOf("200 owner", "200 replica")
                    .contains("200 owner");
            awaitSettled(monitors, scenario);
            for (AppProcess monitor : monitors) {
                scenario.assertExact(monitor);
            }
        }
    }

    /** Until the read replica of {@code monitor} has every partition's last snapshot through its last record. */
    private static void awaitSnapshotsInTheReplica(AppProcess monitor) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            String body = monitor.http().get("/api/cluster").asString();
            JsonPath cluster = JsonPath.from(body);
            for (int i = 0; i < 2 * PARTITIONS; i++) {
                assertThat(cluster.getLong("partitions[" + i + "].snapshotMarker")).as(body)
                        .isEqualTo(cluster.getLong("partitions[" + i + "].logEndOffset") - 1);
            }
        });
    }

    /**
     * Asks each monitor for every device's power series, again and again for a while.
     *
     * @return how often each status came; a 503 must say when to ask again
     */
    private static Map<Integer, Integer> pollEveryDevice(List<AppProcess> monitors, Scenario scenario, Duration during) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        long end = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < end) {
            for (AppProcess monitor : monitors) {
                for (String device : scenario.devices()) {
                    Response answer = monitor.http().get("/api/devices/" + device + "/power");
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                    if (answer.statusCode() == 503) {
                        assertThat(answer.header("Retry-After")).as("Retry-After of a 503").isNotNull();
                        assertThat(answer.contentType()).startsWith("application/problem+json");
                    }
                }
            }
        }
        return statuses;
    }

    /**
     * Until every monitor is in the group, every partition has an owner that has restored it, and each owner has
     * applied everything sent so far (lag 0), as {@code /api/cluster} of each says.
     */
    static void awaitSettled(List<AppProcess> monitors, Scenario scenario) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            for (AppProcess monitor : monitors) {
                String body = monitor.http().get("/api/cluster").asString();
                JsonPath cluster = JsonPath.from(body);
                assertThat(cluster.getList("instances")).as(body).hasSize(monitors.size());
                assertThat(cluster.getList("partitions.state", String.class)).as(body).hasSize(2 * PARTITIONS)
                        .containsOnly("owned");
                assertThat(cluster.getList("partitions.lag", Long.class)).as(body).containsOnly(0L);
                assertThat(cluster.getList("unanswered")).as(body).isEmpty();
            }
        });
    }

    /** The lists of devices and of each channel hold every device once, whichever monitor is asked. */
    private static void assertLists(AppProcess monitor, Scenario scenario) {
        Response devices = monitor.http().get("/api/devices");
        assertThat(devices.statusCode()).isEqualTo(200);
        assertThat(devices.header("X-Missing-Partitions")).as("partitions missing from the list").isNull();
        assertThat(devices.jsonPath().getList("deviceId", String.class)).as("devices listed")
                .containsExactlyElementsOf(scenario.devices().stream().sorted().toList());
        assertThat(devices.jsonPath().getList("channels", List.class)).as("each device's channels")
                .allSatisfy(channels -> assertThat(channels).containsExactly("temp", "power"));
        for (String channel : Scenario.CHANNELS) {
            JsonPath list = monitor.http().get("/api/channels/" + channel).jsonPath();
            assertThat(list.getList("deviceId", String.class)).as(channel + " list")
                    .containsExactlyElementsOf(scenario.devices().stream().sorted().toList());
            for (String device : scenario.devices()) {
                assertThat(list.getLong("find { it.deviceId == '" + device + "' }.count")).as(device + "/" + channel + " count in the list")
                        .isEqualTo(scenario.sent.get(device + "/" + channel).size());
            }
        }
        for (String device : scenario.devices()) {
            JsonPath stats = monitor.http().get("/api/devices/" + device).jsonPath();
            assertThat(stats.getList("series.channel", String.class)).as(device + " series").containsExactly("temp", "power");
            assertThat(stats.getLong("series.find { it.channel == 'power' }.count")).as(device + " power count")
                    .isEqualTo(scenario.sent.get(device + "/power").size());
        }
    }

    /** A series' answer names the monitor that holds its partition, by Kafka's partitioner on the device id. */
    private static void assertAnswersComeFromTheOwner(AppProcess asked, Scenario scenario, Map<String, Set<String>> held) {
        String self = asked.http().get("/api/cluster/self").jsonPath().getString("id");
        int forwarded = 0;
        for (String device : scenario.devices()) {
            int partition = Utils.toPositive(Utils.murmur2(device.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            String topicPartition = scenario.topic("power") + "-" + partition;
            String owner = held.entrySet().stream().filter(entry -> entry.getValue().contains(topicPartition))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            Response answer = asked.http().get("/api/devices/" + device + "/power");
            assertThat(answer.headers().getValues("X-Served-By")).as(device + " served by").containsExactly(owner);
            assertThat(answer.headers().getValues("X-Source")).containsExactly("owner");
            if (!owner.equals(self)) {
                forwarded++;
                assertThat(answer.header("Via")).as(device + " forwarded through").contains(self);
            }
        }
        assertThat(forwarded).as("answers forwarded to another owner").isPositive();
    }

    /**
     * {@code /api/status} adds up every monitor's counts, and {@code /api/alerts} lists the alerts each fired for
     * the devices it owns, from whichever monitor is asked.
     */
    private static void assertStatusAndAlertsOfTheWholeGroup(List<AppProcess> monitors, Scenario scenario) {
        Set<String> ids = new HashSet<>();
        for (AppProcess monitor : monitors) {
            ids.add(monitor.http().get("/api/cluster/self").jsonPath().getString("id"));
        }
        long sentPower = scenario.devices().stream().mapToLong(device -> scenario.sent.get(device + "/power").size()).sum();
        Set<String> peaked = new TreeSet<>(); // the oracle: the devices with a power reading above the threshold
        for (String device : scenario.devices()) {
            if (scenario.sent.get(device + "/power").stream().anyMatch(sample -> sample.value() > PEAK)) {
                peaked.add(device);
            }
        }
        assertThat(peaked).as("devices whose power peaked, for the test to mean something").hasSizeGreaterThan(3);

        List<Object> firstAlerts = null;
        for (AppProcess monitor : monitors) {
            Response status = monitor.http().get("/api/status");
            JsonPath counts = status.jsonPath();
            assertThat(counts.getList("instances.id", String.class)).as("monitors in the status")
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(counts.getList("unanswered")).isEmpty();
            long sum = counts.getList("instances.counts.applied.power", Long.class).stream().mapToLong(Long::longValue).sum();
            assertThat(counts.getLong("applied.power")).as("total of the instances' counts").isEqualTo(sum)
                    .as("power readings applied by the group, each at least once").isGreaterThanOrEqualTo(sentPower);
            assertThat(status.header("X-Served-By").split(",")).containsExactlyInAnyOrderElementsOf(ids);

            Response alerts = monitor.http().queryParam("limit", 1000).get("/api/alerts");
            assertThat(alerts.statusCode()).isEqualTo(200);
            assertThat(alerts.header("X-Unanswered-Monitors")).isNull();
            List<Object> events = alerts.jsonPath().getList("$");
            assertThat(Set.copyOf(events)).as("alert events listed twice").hasSameSizeAs(events);
            assertThat(new TreeSet<>(alerts.jsonPath().getList("findAll { it.state == 'firing' }.deviceId", String.class)))
                    .as("devices with a firing alert, asked of one monitor").isEqualTo(peaked);
            if (firstAlerts == null) {
                firstAlerts = events;
            } else {
                assertThat(events).as("the alerts, from each monitor").isEqualTo(firstAlerts);
            }
        }
    }

    /** {@code /api/stream} of one monitor streams the readings of a device that another owns, as they were sent. */
    private static void assertStreamPassesOnAnotherOwnersReadings(AppProcess asked, Scenario scenario,
            Map<String, Set<String>> held) throws Exception {
        String self = asked.http().get("/api/cluster/self").jsonPath().getString("id");
        String device = scenario.devices().stream().filter(candidate -> !held.get(self).contains(
                scenario.topic("power") + "-" + Utils.toPositive(Utils.murmur2(candidate.getBytes(StandardCharsets.UTF_8))) % PARTITIONS))
                .findFirst().orElseThrow();
        List<JsonPath> readings = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(asked.url() + "/api/stream?channel=power&device=" + device))
                .header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            Thread reader = new Thread(() -> lines.filter(line -> line.startsWith("data:"))
                    .map(line -> JsonPath.from(line.substring(5))).filter(event -> "reading".equals(event.getString("type")))
                    .forEach(readings::add), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(3000); // the monitor asked opens the other monitors' streams
            int before = scenario.sent.get(device + "/power").size();
            scenario.send(5);
            List<Double> expected = scenario.sent.get(device + "/power").subList(before, before + 5).stream()
                    .map(Sample::value).toList();
            await().atMost(Duration.ofSeconds(20)).until(() -> readings.size() >= expected.size());
            Thread.sleep(500); // nothing more comes
            assertThat(readings.stream().map(event -> event.getDouble("value")).toList())
                    .as(device + "'s power readings streamed through " + self).isEqualTo(expected);
            assertThat(readings.stream().map(event -> event.getString("deviceId")).distinct().toList()).containsExactly(device);
            assertThat(readings.get(readings.size() - 1).getLong("stats.count")).as("the owner's count after them")
                    .isEqualTo(scenario.sent.get(device + "/power").size());
        }
    }

    private static void assertRequestsNotForwardedWhenMalformedOrAnsweredByTheOwnerWhenUnknown(List<AppProcess> monitors) {
        for (AppProcess monitor : monitors) {
            Response malformed = monitor.http().get("/api/devices/bad%20id/power");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.header("Via")).as("a malformed request's hop").isNull();
            Response window = monitor.http().queryParam("window", "soon").get("/api/devices/unit-01/power");
            assertThat(window.statusCode()).isEqualTo(400);
            assertThat(window.header("Via")).as("a malformed window's hop").isNull();
            Response unknown = monitor.http().get("/api/devices/never-seen/power");
            assertThat(unknown.statusCode()).as("an unknown device").isEqualTo(404);
            assertThat(unknown.contentType()).startsWith("application/problem+json");
            assertThat(monitor.http().get("/api/devices/never-seen").statusCode()).isEqualTo(404);
        }
    }
}
