package io.telemetry.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Timestamps} against its oracle, {@link Instant#parse} and {@link Instant#toString}. */
class TimestampsTest {

    private static final long FROM = Instant.parse("-10000-01-01T00:00:00Z").getEpochSecond();
    private static final long TO = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
    /** The years the direct path handles; most samples are drawn from them. */
    private static final long DIRECT_FROM = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
    private static final long DIRECT_TO = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            2024-05-01T10:00:00Z
            2024-05-01T10:00:00.250Z
            2024-02-29T23:59:59.999Z
            1900-01-01T00:00:00Z
            9999-12-31T23:59:59.999Z
            1969-12-31T23:59:59.001Z
            1000-01-01T00:00:00Z
            """)
    void theCommonFormsAreReadDirectlyAsInstantParseReadsThem(String text) {
        assertThat(Timestamps.plainUtc(text)).isEqualTo(Instant.parse(text));
        assertThat(Timestamps.format(Instant.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            2024-05-01T10:00:00.5Z
            2024-05-01T10:00:00.123456Z
            2024-05-01T10:00:00.123456789Z
            2024-05-01T23:59:60Z
            2024-05-01T24:00:00Z
            2024-05-01T10:00:00+02:00
            2024-05-01t10:00:00z
            """)
    void otherFormsAreLeftToInstantParse(String text) {
        assertThat(Timestamps.plainUtc(text)).isNull();
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            2023-02-29T10:00:00Z
            2024-13-01T10:00:00Z
            2024-05-01 10:00:00Z
            2024-05-01T1a:00:00Z
            2024-00-01T10:00:00Z
            2024-05-00T10:00:00Z
            2024-05-32T10:00:00Z
            2024-05-01T10:60:00Z
            2024-05-01T10:00:60.000Z
            2024-05-01T10:00:00.1a2Z
            2024-05-01T10:00:00x123Z
            2024-05-01T10:00:00X
            2a24-05-01T10:00:00Z
            2024-05-01T10:00:0:Z
            2024-05-0١T10:00:00Z
            yesterday
            """)
    void whatInstantParseRefusesIsRefused(String text) {
        assertThat(Timestamps.plainUtc(text)).isNull();
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void randomInstantsAreWrittenAndReadAsInstantWritesAndReadsThem() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long seconds = seconds(random);
            int nanos = switch (random.nextInt(6)) {
                case 0, 1 -> 0;
                case 2, 3 -> random.nextInt(1_000) * 1_000_000;
                case 4 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = instant.toString();
            assertThat(Timestamps.format(instant)).as("%s", text).isEqualTo(text);
            assertThat(Timestamps.parse(text)).as("%s", text).isEqualTo(instant);
        }
    }

    /** Random one-character edits of valid timestamps: read as {@link Instant#parse} reads them, or refused as it refuses them. */
    @Test
    void editedTimestampsAreReadOrRefusedAsInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(11);
        String alphabet = "0123456789:-.TZtz+ x\u0661";
        for (int i = 0; i < 200_000; i++) {
            long seconds = seconds(random);
            int nanos = random.nextBoolean() ? 0 : random.nextInt(1_000) * 1_000_000;
            StringBuilder text = new StringBuilder(Instant.ofEpochSecond(seconds, nanos).toString());
            int at = random.nextInt(text.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> text.setCharAt(at, c);
                case 1 -> text.insert(at, c);
                default -> text.deleteCharAt(at);
            }
            String edited = text.toString();
            Instant expected;
            try {
                expected = Instant.parse(edited);
            } catch (DateTimeParseException refused) {
                assertThatThrownBy(() -> Timestamps.parse(edited)).as("%s", edited)
                        .isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(Timestamps.parse(edited)).as("%s", edited).isEqualTo(expected);
        }
    }

    /** Four in five from the years read and written directly, the rest from far around them. */
    private static long seconds(SplittableRandom random) {
        return random.nextInt(5) == 0 ? random.nextLong(FROM, TO) : random.nextLong(DIRECT_FROM, DIRECT_TO);
    }
}
