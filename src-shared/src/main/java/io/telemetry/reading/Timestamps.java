package io.telemetry.reading;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * Event times as the wire and the CSV files write them: ISO-8601 UTC, {@code 2024-05-01T10:00:00Z} or
 * {@code 2024-05-01T10:00:00.250Z}.
 *
 * <p>The common forms are read and written directly, because {@link Instant#parse} and
 * {@link Instant#toString} cost more than the rest of a reading's decoding or encoding
 * (bench/README.md, "Tuning notes"). Everything else is left to them, so the results are always
 * theirs: {@code parse(text)} equals {@code Instant.parse(text)} and {@code format(instant)} equals
 * {@code instant.toString()}.
 */
public final class Timestamps {

    /** The range written directly: four-digit years, so no sign and no wider year field. */
    private static final long FIRST_DIRECT = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_DIRECT = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final int NANOS_PER_MILLI = 1_000_000;

    private Timestamps() {
    }

    /**
     * Reads an ISO-8601 UTC instant, as {@link Instant#parse} does.
     *
     * @throws DateTimeParseException if {@link Instant#parse} would
     */
    public static Instant parse(CharSequence text) {
        Instant plain = plainUtc(text);
        return plain != null ? plain : Instant.parse(text);
    }

    /** The instant as {@link Instant#toString} writes it. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        int nanos = instant.getNano();
        if (seconds < FIRST_DIRECT || seconds > LAST_DIRECT || nanos % NANOS_PER_MILLI != 0) {
            return instant.toString(); // micro- or nanosecond fractions, far years
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        char[] text = new char[nanos == 0 ? 20 : 24];
        digits(text, 0, 4, date.getYear());
        text[4] = '-';
        digits(text, 5, 2, date.getMonthValue());
        text[7] = '-';
        digits(text, 8, 2, date.getDayOfMonth());
        text[10] = 'T';
        digits(text, 11, 2, secondOfDay / 3_600);
        text[13] = ':';
        digits(text, 14, 2, secondOfDay / 60 % 60);
        text[16] = ':';
        digits(text, 17, 2, secondOfDay % 60);
        if (nanos != 0) {
            text[19] = '.';
            digits(text, 20, 3, nanos / NANOS_PER_MILLI);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /**
     * The common forms read directly; anything else (other fraction lengths, offsets, leap seconds,
     * out-of-range fields) is {@code null}, left to {@link Instant#parse}.
     */
    static Instant plainUtc(CharSequence text) {
        int length = text.length();
        if ((length != 20 && length != 24) || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z'
                || (length == 24 && text.charAt(19) != '.')) {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int millis = length == 24 ? number(text, 20, 3) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second,
                (long) millis * NANOS_PER_MILLI);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1 if one is not a digit. */
    private static int number(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Writes {@code value} as {@code count} decimal digits, zero-padded, at {@code from}. */
    private static void digits(char[] text, int from, int count, int value) {
        for (int i = from + count - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
