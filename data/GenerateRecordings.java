import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the recordings under data/: one day, one row every 10 seconds, of a washing machine and of an
 * air conditioner, each as power.csv (W) and temp.csv (°C). Deterministic (fixed seeds), so the files
 * can be regenerated and reviewed:
 *
 * <pre>java data/GenerateRecordings.java data</pre>
 */
public class GenerateRecordings {

    static final Instant START = Instant.parse("2024-05-01T00:00:00Z");
    static final int STEP_SECONDS = 10;
    static final int ROWS = 24 * 3600 / STEP_SECONDS;

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "data");
        washingMachine(out.resolve("washing-machine"));
        airConditioner(out.resolve("ac"));
    }

    /**
     * Two programmes a day, at 08:00 (60 °C) and 19:00 (40 °C). Each runs fill, heat (the element draws
     * about 2 kW until the water reaches the programme's temperature), wash (the drum turns one way then
     * the other), drain, two cold rinses and a spin that ramps up; between programmes the machine stands
     * by at about 1 W with its water at room temperature.
     */
    static void washingMachine(Path dir) throws IOException {
        Random noise = new Random(42);
        double water = 20.0;
        try (Recording rec = new Recording(dir)) {
            for (int i = 0; i < ROWS; i++) {
                int second = i * STEP_SECONDS;
                double power;
                double target;
                int t8 = second - 8 * 3600;
                int t19 = second - 19 * 3600;
                Phase phase = t8 >= 0 && t8 < Phase.CYCLE ? Phase.at(t8) : t19 >= 0 && t19 < Phase.CYCLE ? Phase.at(t19) : null;
                double programme = t8 >= 0 && t8 < Phase.CYCLE ? 60 : 40;
                if (phase == null) {
                    power = 0.8 + 0.4 * noise.nextDouble();
                    target = 20.0;
                } else {
                    int in = (t8 >= 0 && t8 < Phase.CYCLE ? t8 : t19) - phase.start;
                    switch (phase) {
                        case FILL -> { power = 95 + 15 * noise.nextDouble(); target = 16; }
                        case HEAT -> {
                            boolean hot = water >= programme;
                            power = hot ? 180 + 40 * noise.nextDouble() : 2050 + 120 * noise.nextDouble();
                            target = hot ? programme : programme + 8;
                        }
                        case WASH -> {
                            boolean turning = (in / 20) % 3 != 2; // 40 s turning, 20 s pause
                            power = turning ? 230 + 120 * noise.nextDouble() : 25 + 10 * noise.nextDouble();
                            target = water > programme - 6 ? water - 0.02 : water;
                        }
                        case DRAIN, DRAIN2, DRAIN3 -> { power = 85 + 20 * noise.nextDouble(); target = 30; }
                        case RINSE, RINSE2 -> {
                            boolean turning = (in / 20) % 2 == 0;
                            power = turning ? 200 + 80 * noise.nextDouble() : 30 + 10 * noise.nextDouble();
                            target = 17;
                        }
                        case SPIN -> {
                            double ramp = Math.min(1, in / 300.0);
                            power = 250 + 350 * ramp + 40 * noise.nextDouble();
                            target = 22;
                        }
                        default -> throw new IllegalStateException(phase.name());
                    }
                }
                double rate = phase == Phase.HEAT && power > 1000 ? 0.08 : 0.01;
                water += phase == Phase.HEAT && power > 1000 ? 0.4 + 0.03 * noise.nextGaussian() : rate * (target - water);
                rec.row(i, power, water + 0.05 * noise.nextGaussian());
            }
        }
    }

    enum Phase {
        FILL(180), HEAT(1200), WASH(2400), DRAIN(120), RINSE(600), DRAIN2(120), RINSE2(600), DRAIN3(120), SPIN(600);

        static final int CYCLE;
        static {
            int start = 0;
            for (Phase phase : values()) {
                phase.start = start;
                start += phase.seconds;
            }
            CYCLE = start;
        }

        final int seconds;
        int start;

        Phase(int seconds) {
            this.seconds = seconds;
        }

        static Phase at(int secondOfCycle) {
            for (Phase phase : values()) {
                if (secondOfCycle < phase.start + phase.seconds) {
                    return phase;
                }
            }
            throw new IllegalArgumentException("after the cycle: " + secondOfCycle);
        }
    }

    /**
     * A room cooled from 09:00 to 23:00 with a 24 °C set point and 1 °C of hysteresis: the compressor
     * (about 1.1 kW, more when it is hot outside) runs until the room is at 23.5 °C, then only the fan
     * (about 45 W) until it is back at 24.5 °C. Outside the air peaks at 33 °C at 15:00; the room warms
     * towards it whenever the compressor is off, and at night the unit stands by at 4 W.
     */
    static void airConditioner(Path dir) throws IOException {
        Random noise = new Random(7);
        double room = 25.5;
        boolean compressor = false;
        try (Recording rec = new Recording(dir)) {
            for (int i = 0; i < ROWS; i++) {
                double hour = i * STEP_SECONDS / 3600.0;
                double outside = 27 + 6 * Math.cos((hour - 15) / 24 * 2 * Math.PI);
                boolean on = hour >= 9 && hour < 23;
                if (!on) {
                    compressor = false;
                } else if (room >= 24.5) {
                    compressor = true;
                } else if (room <= 23.5) {
                    compressor = false;
                }
                double power = !on ? 3.5 + noise.nextDouble()
                        : compressor ? 1050 + 8 * (outside - 27) + 40 * noise.nextDouble()
                        : 40 + 10 * noise.nextDouble();
                room += 0.00045 * (outside - room) * STEP_SECONDS - (compressor ? 0.006 * STEP_SECONDS : 0);
                rec.row(i, power, room + 0.03 * noise.nextGaussian());
            }
        }
    }

    /** The two CSV files of one device, written row by row. */
    static final class Recording implements AutoCloseable {
        private final PrintWriter power;
        private final PrintWriter temp;

        Recording(Path dir) throws IOException {
            Files.createDirectories(dir);
            power = new PrintWriter(Files.newBufferedWriter(dir.resolve("power.csv")));
            temp = new PrintWriter(Files.newBufferedWriter(dir.resolve("temp.csv")));
            power.print("timestamp,value\n");
            temp.print("timestamp,value\n");
        }

        void row(int index, double watts, double celsius) {
            Instant at = START.plus(Duration.ofSeconds((long) index * STEP_SECONDS));
            power.printf(Locale.ROOT, "%s,%.1f%n", at, Math.max(0, watts));
            temp.printf(Locale.ROOT, "%s,%.2f%n", at, celsius);
        }

        @Override
        public void close() {
            power.close();
            temp.close();
        }
    }
}
