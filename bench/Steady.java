import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends power readings at a steady rate (1,000 devices, readings of a device 1 s apart in event time)
 * and, given the monitor's /api/stream URL, measures for each reading the time from the send call to
 * its event on the stream. Run by bench/run:
 * java -cp KAFKA_CLASSPATH bench/Steady.java BOOTSTRAP TOPIC RATE SECONDS [STREAM_URL]
 * Prints "sent N rate R seen N p50 MS p99 MS max MS applied-p50 MS applied-p99 MS". The first
 * STEADY_WARM_UP_SECONDS (2 unless set) are not measured: the JVMs' compilers are still at work then,
 * and on two cores their work dominated the p99 (bench/README.md, "Latency: what sets the p99").
 * "applied" is the part up to the event's creation (its "at" field), when the monitor had applied the
 * reading; the rest is the stream's delivery. With STEADY_SLOW_MS=N set, each reading that took longer
 * than N ms is printed to stderr with its send time, to set beside the GC logs of the JVMs.
 */
public class Steady {

    private static final int DEVICES = 1000;

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String stream = args.length > 4 ? args[4] : null;
        long total = (long) rate * seconds;
        // Reading i's send time, by the number its event carries back (device and timestamp): arrays, not a map
        // of strings, so that this harness allocates almost nothing per reading and its own GC pauses do not
        // show up as the monitor's latency.
        AtomicLongArray sentNanos = new AtomicLongArray((int) total);
        AtomicLongArray sentMillis = new AtomicLongArray((int) total);
        long base = Instant.now().minusSeconds(3600).toEpochMilli() / 1000 * 1000;
        long[] latencies = new long[(int) total + 1];
        long[] toApplied = new long[(int) total + 1];
        int[] seen = {0};
        long[] warmUpEnds = {Long.MAX_VALUE};
        long warmUpSeconds = Long.parseLong(System.getenv().getOrDefault("STEADY_WARM_UP_SECONDS", "2"));
        long slowMillis = Long.parseLong(System.getenv().getOrDefault("STEADY_SLOW_MS", "0"));
        if (stream != null) {
            HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(stream)).build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + response.statusCode());
            }
            Thread reader = new Thread(() -> response.body().forEach(line -> {
                long now = System.nanoTime();
                int device = line.indexOf("\"deviceId\":\"steady-");
                int timestamp = line.indexOf("\"timestamp\":\"");
                int at = line.indexOf("\"at\":\"");
                if (device < 0 || timestamp < 0 || at < 0) {
                    return;
                }
                long tick = (Instant.parse(line.substring(timestamp + 13, line.indexOf('"', timestamp + 13))).toEpochMilli() - base) / 1000;
                int i = (int) (tick * DEVICES + Integer.parseInt(line, device + 19, device + 23, 10));
                long sent = i >= 0 && i < total ? sentNanos.getAndSet(i, 0) : 0;
                if (sent > warmUpEnds[0]) {
                    long appliedAt = Instant.parse(line.substring(at + 6, line.indexOf('"', at + 6))).toEpochMilli();
                    synchronized (latencies) {
                        toApplied[seen[0]] = (appliedAt - sentMillis.get(i)) * 1_000_000L;
                        latencies[seen[0]++] = now - sent;
                    }
                    if (slowMillis > 0 && now - sent > slowMillis * 1_000_000L) {
                        System.err.printf(Locale.ROOT, "slow: sent at %s, %.1f ms to the stream, %d ms to applied%n",
                                Instant.ofEpochMilli(sentMillis.get(i)), (now - sent) / 1e6, appliedAt - sentMillis.get(i));
                    }
                }
            }), "stream-reader");
            reader.setDaemon(true);
            reader.start();
        }
        Properties settings = new Properties();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("acks", "all");
        settings.put("enable.idempotence", "true");
        double achieved;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            long start = System.nanoTime();
            warmUpEnds[0] = start + warmUpSeconds * 1_000_000_000L;
            for (long i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String device = String.format(Locale.ROOT, "steady-%04d", i % DEVICES);
                String timestamp = Instant.ofEpochMilli(base + (i / DEVICES) * 1000).toString();
                String json = "{\"deviceId\":\"" + device + "\",\"channel\":\"power\",\"timestamp\":\"" + timestamp
                        + "\",\"value\":" + (100 + i % 1000) + ".5}";
                if (stream != null) {
                    sentMillis.set((int) i, System.currentTimeMillis());
                    sentNanos.set((int) i, System.nanoTime());
                }
                producer.send(new ProducerRecord<>(topic, device, json));
            }
            producer.flush();
            achieved = total / ((System.nanoTime() - start) / 1e9);
        }
        Thread.sleep(stream == null ? 0 : 3000); // the last readings' way through
        long[] measured;
        long[] applied;
        synchronized (latencies) {
            measured = Arrays.copyOf(latencies, seen[0]);
            applied = Arrays.copyOf(toApplied, seen[0]);
        }
        Arrays.sort(measured);
        Arrays.sort(applied);
        System.out.printf(Locale.ROOT, "sent %d rate %.0f seen %d p50 %.1f p99 %.1f max %.1f applied-p50 %.1f applied-p99 %.1f%n",
                total, achieved, measured.length, percentile(measured, 0.50), percentile(measured, 0.99),
                percentile(measured, 1), percentile(applied, 0.50), percentile(applied, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
