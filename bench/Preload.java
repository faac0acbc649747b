import java.util.Locale;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Loads a topic with readings for the ingest benchmark: N power readings of D devices (keyed by device,
 * 100 bytes of JSON each), 10 s apart per device. Run by bench/run:
 * java -cp KAFKA_CLASSPATH bench/Preload.java BOOTSTRAP TOPIC N D
 */
public class Preload {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long count = Long.parseLong(args[2]);
        int devices = Integer.parseInt(args[3]);
        Properties settings = new Properties();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("acks", "1");
        settings.put("linger.ms", "20");
        settings.put("batch.size", "262144");
        settings.put("compression.type", "none");
        long start = 1_714_521_600_000L; // 2024-05-01T00:00:00Z
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            for (long i = 0; i < count; i++) {
                String device = String.format(Locale.ROOT, "bench-device-%05d", i % devices);
                long at = start + (i / devices) * 10_000;
                String json = String.format(Locale.ROOT,
                        "{\"deviceId\":\"%s\",\"channel\":\"power\",\"timestamp\":\"%s\",\"value\":%.1f}", device,
                        java.time.Instant.ofEpochMilli(at), 100 + (i * 37 % 2000) / 10.0);
                producer.send(new ProducerRecord<>(topic, device, json));
            }
            producer.flush();
        }
    }
}
