package dev.wirelab.transport;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the {@link Impairment} spec grammar:
 *
 * <pre>
 * spec  = "" | "none" | item ("," item)*
 * item  = key "=" value                      (whitespace around items, keys and values is ignored)
 * key   = loss | burst | delay | jitter | reorder | hold | duplicate | dup | corrupt | rate | queue | seed
 *       | reset                                (streams only)
 * </pre>
 *
 * Numbers are decimal ({@code 5}, {@code 0.05}, {@code .5}); every conversion goes through
 * {@link BigDecimal}, so {@code 5%} is exactly the double {@code 0.05} and written values read back
 * to the same record.
 */
final class ImpairmentSpec {

    private static final String KEYS =
            "loss, burst, delay, jitter, reorder, hold, duplicate (or dup), corrupt, rate, queue, reset, seed";
    private static final Set<String> KNOWN_KEYS = Set.of(
            "loss", "burst", "delay", "jitter", "reorder", "hold", "duplicate", "corrupt", "rate", "queue", "seed",
            "reset");
    private static final String PROBABILITY_FORM = "a probability from 0% to 100%, like 5% or 0.05";
    private static final String BURST_FORM = "a mean loss-burst length in datagrams >= 1, like 4 (1 = independent loss)";
    private static final String DURATION_FORM = "a duration >= 0 with a unit (ns, us, ms, s), like 20ms, 1.5s or 250us, or 0";
    private static final String RATE_FORM = "a rate like 1mbit, 500kbit, 64kB/s or 8000B/s, or 0 for unlimited";
    private static final String QUEUE_FORM = "a size in bytes >= 1, like 65536, 64KiB or 100kB";
    private static final String SEED_FORM = "a whole number (a 64-bit signed integer), like 42";

    /** A decimal number followed by an optional unit. */
    private static final Pattern NUMBER_UNIT =
            Pattern.compile("([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*(\\S*)");

    private static final Map<String, Long> DURATION_UNITS = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L);

    /** Bits per second per unit; matched without regard to case. */
    private static final Map<String, Long> BIT_RATE_UNITS = Map.of(
            "bit", 1L, "kbit", 1_000L, "mbit", 1_000_000L, "gbit", 1_000_000_000L);

    /** Bytes per second per unit; matched exactly, since {@code b} and {@code B} differ. */
    private static final Map<String, Long> BYTE_RATE_UNITS = Map.of(
            "B/s", 1L, "kB/s", 1_000L, "MB/s", 1_000_000L, "GB/s", 1_000_000_000L,
            "KiB/s", 1L << 10, "MiB/s", 1L << 20, "GiB/s", 1L << 30);

    private static final Map<String, Long> SIZE_UNITS = Map.of(
            "", 1L, "B", 1L, "kB", 1_000L, "MB", 1_000_000L, "KiB", 1L << 10, "MiB", 1L << 20);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ImpairmentSpec() {
    }

    static Impairment parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("impairment spec must not be null; use \"none\" for a perfect link");
        }
        String trimmed = spec.strip();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return Impairment.NONE;
        }
        try {
            return parseItems(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid impairment spec \"" + spec + "\": " + e.getMessage(), e);
        }
    }

    private static Impairment parseItems(String spec) {
        double loss = 0;
        double burst = 1;
        Duration delay = Duration.ZERO;
        Duration jitter = Duration.ZERO;
        double reorder = 0;
        Duration hold = Duration.ZERO;
        double duplicate = 0;
        double corrupt = 0;
        long rate = 0;
        long queue = Impairment.QUEUE_BYTES_DEFAULT;
        long seed = 0;
        double reset = 0;
        Set<String> seen = new HashSet<>();
        for (String rawItem : spec.split(",", -1)) {
            String item = rawItem.strip();
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(item.isEmpty()
                        ? "empty item; expected key=value items separated by single commas"
                        : "'" + item + "' is not key=value; expected key=value with a key among " + KEYS);
            }
            String key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = item.substring(eq + 1).strip();
            String canonical = key.equals("dup") ? "duplicate" : key;
            if (!KNOWN_KEYS.contains(canonical)) {
                throw new IllegalArgumentException("unknown key '" + item.substring(0, eq).strip()
                        + "'; expected one of " + KEYS);
            }
            if (!seen.add(canonical)) {
                throw new IllegalArgumentException("key '" + canonical + "' given more than once");
            }
            switch (canonical) {
                case "loss" -> loss = probability(key, value);
                case "burst" -> burst = burst(key, value);
                case "delay" -> delay = duration(key, value);
                case "jitter" -> jitter = duration(key, value);
                case "reorder" -> reorder = probability(key, value);
                case "hold" -> hold = duration(key, value);
                case "duplicate" -> duplicate = probability(key, value);
                case "corrupt" -> corrupt = probability(key, value);
                case "rate" -> rate = rate(key, value);
                case "queue" -> queue = queue(key, value);
                case "seed" -> seed = seed(key, value);
                case "reset" -> reset = probability(key, value);
                default -> throw new IllegalArgumentException("unknown key '" + key + "'; expected one of " + KEYS);
            }
        }
        return new Impairment(loss, burst, delay, jitter, reorder, hold, duplicate, corrupt, rate, queue, seed, reset);
    }

    private static double probability(String key, String value) {
        Matcher m = number(key, value, PROBABILITY_FORM);
        BigDecimal number = new BigDecimal(m.group(1));
        BigDecimal fraction = switch (m.group(2)) {
            case "%" -> number.movePointLeft(2);
            case "" -> number;
            default -> throw unit(key, value, m.group(2), PROBABILITY_FORM);
        };
        if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException(key + "=" + value + " is out of range; expected " + PROBABILITY_FORM);
        }
        return fraction.doubleValue();
    }

    private static double burst(String key, String value) {
        Matcher m = number(key, value, BURST_FORM);
        if (!m.group(2).isEmpty()) {
            throw unit(key, value, m.group(2), BURST_FORM);
        }
        BigDecimal number = new BigDecimal(m.group(1));
        if (number.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException(key + "=" + value + " is below 1; expected " + BURST_FORM);
        }
        double burst = number.doubleValue();
        if (Double.isInfinite(burst)) {
            throw new IllegalArgumentException(key + "=" + value + " is too large; expected " + BURST_FORM);
        }
        return burst;
    }

    private static Duration duration(String key, String value) {
        Matcher m = number(key, value, DURATION_FORM);
        BigDecimal number = new BigDecimal(m.group(1));
        if (number.signum() < 0) {
            throw new IllegalArgumentException(key + "=" + value + " is negative; expected " + DURATION_FORM);
        }
        String unit = m.group(2);
        Long nanosPerUnit = DURATION_UNITS.get(unit);
        if (nanosPerUnit == null) {
            if (!unit.isEmpty() || number.signum() != 0) {
                throw unit.isEmpty()
                        ? new IllegalArgumentException(key + "=" + value + " has no unit; expected " + DURATION_FORM)
                        : unit(key, value, unit, DURATION_FORM);
            }
            return Duration.ZERO;
        }
        BigDecimal nanos = number.multiply(BigDecimal.valueOf(nanosPerUnit)).setScale(0, RoundingMode.HALF_UP);
        if (nanos.compareTo(BigDecimal.valueOf(Impairment.DURATION_MAX.toNanos())) > 0) {
            throw new IllegalArgumentException(key + "=" + value + " is longer than "
                    + Impairment.DURATION_MAX.toHours() + " hours; expected " + DURATION_FORM);
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    private static long rate(String key, String value) {
        Matcher m = number(key, value, RATE_FORM);
        BigDecimal number = new BigDecimal(m.group(1));
        if (number.signum() < 0) {
            throw new IllegalArgumentException(key + "=" + value + " is negative; expected " + RATE_FORM);
        }
        String unit = m.group(2);
        BigDecimal bytesPerSecond;
        Long bits = BIT_RATE_UNITS.get(unit.toLowerCase(Locale.ROOT).replace("/s", ""));
        Long bytes = BYTE_RATE_UNITS.get(unit);
        if (bits != null) {
            bytesPerSecond = number.multiply(BigDecimal.valueOf(bits)).divide(BigDecimal.valueOf(8));
        } else if (bytes != null) {
            bytesPerSecond = number.multiply(BigDecimal.valueOf(bytes));
        } else if (unit.isEmpty() && number.signum() == 0) {
            return 0;
        } else {
            throw unit.isEmpty()
                    ? new IllegalArgumentException(key + "=" + value + " has no unit; expected " + RATE_FORM)
                    : unit(key, value, unit, RATE_FORM);
        }
        BigDecimal rounded = bytesPerSecond.setScale(0, RoundingMode.HALF_UP);
        if (number.signum() > 0 && rounded.signum() == 0) {
            throw new IllegalArgumentException(key + "=" + value + " is below 1 byte per second; expected " + RATE_FORM);
        }
        if (rounded.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(key + "=" + value + " is too large; expected " + RATE_FORM);
        }
        return rounded.longValueExact();
    }

    private static long queue(String key, String value) {
        Matcher m = number(key, value, QUEUE_FORM);
        Long multiplier = SIZE_UNITS.get(m.group(2));
        if (multiplier == null) {
            throw unit(key, value, m.group(2), QUEUE_FORM);
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier));
        if (bytes.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException(key + "=" + value + " is below 1 byte; expected " + QUEUE_FORM);
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(key + "=" + value + " is too large; expected " + QUEUE_FORM);
        }
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number of bytes; expected "
                    + QUEUE_FORM, e);
        }
    }

    private static long seed(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number; expected " + SEED_FORM, e);
        }
    }

    private static Matcher number(String key, String value, String form) {
        Matcher m = NUMBER_UNIT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    (value.isEmpty() ? key + " has no value" : key + "=" + value + " is not a number")
                            + "; expected " + form);
        }
        return m;
    }

    private static IllegalArgumentException unit(String key, String value, String unit, String form) {
        return new IllegalArgumentException(key + "=" + value + " has an unknown unit '" + unit + "'; expected " + form);
    }

    static String format(Impairment impairment) {
        StringJoiner items = new StringJoiner(",");
        Impairment none = Impairment.NONE;
        if (impairment.loss() != none.loss()) {
            items.add("loss=" + percent(impairment.loss()));
        }
        if (impairment.burstLength() != none.burstLength()) {
            items.add("burst=" + decimal(impairment.burstLength()));
        }
        if (!impairment.delay().isZero()) {
            items.add("delay=" + duration(impairment.delay()));
        }
        if (!impairment.jitter().isZero()) {
            items.add("jitter=" + duration(impairment.jitter()));
        }
        if (impairment.reorder() != none.reorder()) {
            items.add("reorder=" + percent(impairment.reorder()));
        }
        Duration defaultHold = impairment.reorder() > 0 ? Impairment.REORDER_HOLD_DEFAULT : Duration.ZERO;
        if (!impairment.reorderHold().equals(defaultHold)) {
            items.add("hold=" + duration(impairment.reorderHold()));
        }
        if (impairment.duplicate() != none.duplicate()) {
            items.add("duplicate=" + percent(impairment.duplicate()));
        }
        if (impairment.corrupt() != none.corrupt()) {
            items.add("corrupt=" + percent(impairment.corrupt()));
        }
        if (impairment.reset() != none.reset()) {
            items.add("reset=" + percent(impairment.reset()));
        }
        if (impairment.rateBytesPerSecond() != none.rateBytesPerSecond()) {
            items.add("rate=" + rate(impairment.rateBytesPerSecond()));
        }
        if (impairment.queueBytes() != none.queueBytes()) {
            items.add("queue=" + size(impairment.queueBytes()));
        }
        if (impairment.seed() != none.seed()) {
            items.add("seed=" + impairment.seed());
        }
        return items.length() == 0 ? "none" : items.toString();
    }

    /** The shortest decimal that reads back to {@code value}, as a percentage. */
    private static String percent(double value) {
        return new BigDecimal(Double.toString(value)).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    private static String decimal(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static String duration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % NANOS_PER_SECOND == 0) {
            return nanos / NANOS_PER_SECOND + "s";
        }
        if (nanos % 1_000 != 0) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return nanos / 1_000 + "us";
        }
        return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
    }

    private static String rate(long bytesPerSecond) {
        if (bytesPerSecond > Long.MAX_VALUE / 8) {
            return bytesPerSecond + "B/s";
        }
        long bits = bytesPerSecond * 8;
        if (bits % 1_000_000_000L == 0) {
            return bits / 1_000_000_000L + "gbit";
        }
        if (bits % 1_000_000L == 0) {
            return bits / 1_000_000L + "mbit";
        }
        if (bits % 1_000L == 0) {
            return bits / 1_000L + "kbit";
        }
        return bytesPerSecond + "B/s";
    }

    private static String size(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "MiB";
        }
        if (bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "KiB";
        }
        return Long.toString(bytes);
    }
}
