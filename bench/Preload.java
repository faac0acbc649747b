import java.util.Locale;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Loads a topic with readings for the ingest benchmark: N power readings of D devices (keyed by device,
 * 100 bytes of JSON each), 10 s apart per device. Run by bench/run:
 * java -cp KAFKA_CLASSPATH bench/Preload.java BOOTSTRAP TOPIC N D [FROM RATE]
 * FROM: go on from reading number FROM of the same sequence (the readings after a preload of FROM);
 * RATE: send that many readings per second of wall time (0: as fast as Kafka takes them). With FROM,
 * it prints "bytes B", the bytes of the keys and values sent.
 */
public class Preload {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long count = Long.parseLong(args[2]);
        int devices = Integer.parseInt(args[3]);
        long from = args.length > 4 ? Long.parseLong(args[4]) : 0;
        double rate = args.length > 5 ? Double.parseDouble(args[5]) : 0;
        long bytes = 0;
        long began = System.nanoTime();
        Properties settings = new Properties();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("acks", "1");
        settings.put("linger.ms", "20");
        settings.put("batch.size", "262144");
        settings.put("compression.type", "none");
        long start = 1_714_521_600_000L; // 2024-05-01T00:00:00Z
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            for (long i = from; i < from + count; i++) {
                if (rate > 0) { // paced by the clock: reading n goes at n / rate seconds
                    long due = began + (long) ((i - from) * 1e9 / rate);
                    while (System.nanoTime() < due) {
                        Thread.sleep(1);
                    }
                }
                String device = String.format(Locale.ROOT, "bench-device-%05d", i % devices);
                long at = start + (i / devices) * 10_000;
                String json = String.format(Locale.ROOT,
                        "{\"deviceId\":\"%s\",\"channel\":\"power\",\"timestamp\":\"%s\",\"value\":%.1f}", device,
                        java.time.Instant.ofEpochMilli(at), 100 + (i * 37 % 2000) / 10.0);
                bytes += device.length() + json.length(); // ASCII
                producer.send(new ProducerRecord<>(topic, device, json));
            }
            producer.flush();
        }
        if (args.length > 4) {
            System.out.println("bytes " + bytes);
        }
    }
}
