package dev.wirelab.transport;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Network misbehaviour as data: what one direction of a link does to datagrams (or a byte stream).
 * Immutable and thread-safe; {@link LinkModel} applies it, one datagram at a time.
 *
 * <p>The knobs imitate Linux {@code tc netem} (see {@code docs/impairments.md}):
 * <ul>
 *   <li><b>loss</b> and <b>burstLength</b>: with {@code burstLength == 1} every datagram is lost
 *       independently with probability {@code loss}. With {@code burstLength > 1} a two-state
 *       Gilbert-Elliott chain decides: in the Bad state every datagram is lost, in the Good state
 *       none. Per datagram the chain moves Good&rarr;Bad with probability
 *       {@code p = loss * r / (1 - loss)} and Bad&rarr;Good with {@code r = 1 / burstLength}, so a
 *       loss burst lasts {@code 1/r = burstLength} datagrams on average (geometric), a good run
 *       {@code 1/p}, and the long-run loss is {@code p / (p + r) = loss}. The lag-1 correlation of
 *       the loss events is {@code 1 - p - r = 1 - 1 / (burstLength * (1 - loss))}: zero (independent
 *       loss) at {@code burstLength = 1 / (1 - loss)}, positive above it. So netem's
 *       "loss L% with correlation C%" maps to {@code burstLength = 1 / ((1 - C) * (1 - L))}.
 *       Because {@code p} must not exceed 1, {@code burstLength >= loss / (1 - loss)} is required
 *       when {@code burstLength > 1}.</li>
 *   <li><b>delay</b> and <b>jitter</b>: every datagram is delayed {@code delay} plus a uniform draw
 *       from {@code [0, jitter]}; datagrams sent closer together than the jitter may overtake each
 *       other, as with netem. (netem's {@code delay D J} is {@code delay = D - J, jitter = 2J} here.)</li>
 *   <li><b>reorder</b> and <b>reorderHold</b>: with probability {@code reorder} a datagram is held an
 *       extra {@code reorderHold}, so datagrams sent less than {@code reorderHold} after it overtake it.</li>
 *   <li><b>duplicate</b>: with this probability the datagram arrives twice.</li>
 *   <li><b>corrupt</b>: with this probability one random bit of the datagram is flipped.</li>
 *   <li><b>rateBytesPerSecond</b> and <b>queueBytes</b>: a bottleneck that serialises datagrams at
 *       this rate behind a FIFO queue of at most {@code queueBytes}, dropping at the tail beyond it;
 *       0 means unlimited.</li>
 *   <li><b>seed</b>: seeds every random draw, so the same spec and the same traffic give the same
 *       fate on every run and every machine.</li>
 *   <li><b>reset</b> (byte streams only): with this probability per frame (or relayed chunk) the
 *       connection is reset, as if the path died; {@link LinkModel} ignores it, since a datagram has
 *       no connection to reset. See {@link StreamModel}.</li>
 * </ul>
 *
 * <p>On a reliable byte stream (TCP, memory) the knobs mean something else: TCP repairs loss,
 * duplication, reordering and corruption, so {@link StreamModel} turns {@code loss} into a stall of
 * the whole stream (a retransmission timeout) and ignores {@code duplicate}, {@code reorder} and
 * {@code corrupt}; see {@link ImpairedTransport}.
 *
 * <p>Written as a spec string by {@link #parse(String)} and {@link #toSpec()}, for example
 * {@code loss=5%,delay=20ms,jitter=5ms,reorder=1%,seed=42}.
 *
 * @param loss               loss probability, 0..1
 * @param burstLength        mean loss-burst length in datagrams, &gt;= 1; 1 = independent loss
 * @param delay              fixed one-way delay added to every datagram, &gt;= 0
 * @param jitter             extra one-way delay drawn uniformly from {@code [0, jitter]}, &gt;= 0
 * @param reorder            probability that a datagram is held back by {@code reorderHold}, 0..1
 * @param reorderHold        how long a reordered datagram is held; {@link #REORDER_HOLD_DEFAULT}
 *                           when {@code reorder > 0} and zero is given
 * @param duplicate          probability that a datagram is delivered twice, 0..1
 * @param corrupt            probability that one random bit of the datagram is flipped, 0..1
 * @param rateBytesPerSecond bottleneck rate; 0 = unlimited
 * @param queueBytes         bytes the bottleneck queue holds (the datagram being serialised
 *                           included) before it drops at the tail; used only with a rate
 * @param seed               seeds every random draw
 * @param reset              probability, per frame or chunk of a byte stream, that the connection is
 *                           reset; streams only, 0..1
 */
public record Impairment(
        double loss,
        double burstLength,
        Duration delay,
        Duration jitter,
        double reorder,
        Duration reorderHold,
        double duplicate,
        double corrupt,
        long rateBytesPerSecond,
        long queueBytes,
        long seed,
        double reset) {

    /** How long a reordered datagram is held when {@code reorder > 0} and no hold is given. */
    public static final Duration REORDER_HOLD_DEFAULT = Duration.ofMillis(10);

    /** Bytes the bottleneck queue holds when none is given: 64 KiB. */
    public static final long QUEUE_BYTES_DEFAULT = 64 * 1024;

    /** The longest delay, jitter or hold accepted, so that arrival times cannot overflow. */
    public static final Duration DURATION_MAX = Duration.ofDays(1);

    /** A perfect link: nothing lost, delayed, reordered, duplicated, corrupted or throttled. */
    public static final Impairment NONE = new Impairment(
            0, 1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, QUEUE_BYTES_DEFAULT, 0, 0);

    /** Validates every knob and fills in the default hold; throws {@link IllegalArgumentException}. */
    public Impairment {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(reorderHold, "reorderHold");
        checkProbability("loss", loss);
        checkProbability("reorder", reorder);
        checkProbability("duplicate", duplicate);
        checkProbability("corrupt", corrupt);
        checkProbability("reset", reset);
        if (!(burstLength >= 1) || Double.isInfinite(burstLength)) {
            throw new IllegalArgumentException(
                    "burstLength must be a finite mean burst length >= 1 (1 = independent loss): " + burstLength);
        }
        if (burstLength > 1 && loss > 0 && loss < 1 && goodToBad(loss, burstLength) > 1 + 1e-9) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "burstLength must be at least loss / (1 - loss) = %.6g for loss %s, or the Gilbert-Elliott"
                            + " Good-to-Bad probability would exceed 1: %s", loss / (1 - loss), loss, burstLength));
        }
        checkDuration("delay", delay);
        checkDuration("jitter", jitter);
        checkDuration("reorderHold", reorderHold);
        if (rateBytesPerSecond < 0) {
            throw new IllegalArgumentException("rateBytesPerSecond must be >= 0 (0 = unlimited): " + rateBytesPerSecond);
        }
        if (queueBytes <= 0) {
            throw new IllegalArgumentException("queueBytes must be positive: " + queueBytes);
        }
        if (reorder > 0 && reorderHold.isZero()) {
            reorderHold = REORDER_HOLD_DEFAULT;
        }
    }

    /**
     * The datagram knobs, without stream resets ({@code reset = 0}).
     *
     * @param loss               loss probability, 0..1
     * @param burstLength        mean loss-burst length in datagrams, &gt;= 1
     * @param delay              fixed one-way delay
     * @param jitter             extra uniform one-way delay bound
     * @param reorder            probability of holding a datagram back
     * @param reorderHold        how long a held datagram waits (zero = the default when reordering)
     * @param duplicate          probability of delivering twice
     * @param corrupt            probability of flipping one bit
     * @param rateBytesPerSecond bottleneck rate; 0 = unlimited
     * @param queueBytes         bytes the bottleneck queue holds
     * @param seed               seeds every random draw
     */
    public Impairment(double loss, double burstLength, Duration delay, Duration jitter, double reorder,
            Duration reorderHold, double duplicate, double corrupt, long rateBytesPerSecond, long queueBytes,
            long seed) {
        this(loss, burstLength, delay, jitter, reorder, reorderHold, duplicate, corrupt, rateBytesPerSecond,
                queueBytes, seed, 0);
    }

    /**
     * The knobs without a queue size: the queue holds {@link #QUEUE_BYTES_DEFAULT}.
     *
     * @param loss               loss probability, 0..1
     * @param burstLength        mean loss-burst length in datagrams, &gt;= 1
     * @param delay              fixed one-way delay
     * @param jitter             extra uniform one-way delay bound
     * @param reorder            probability of holding a datagram back
     * @param reorderHold        how long a held datagram waits (zero = the default when reordering)
     * @param duplicate          probability of delivering twice
     * @param corrupt            probability of flipping one bit
     * @param rateBytesPerSecond bottleneck rate; 0 = unlimited
     * @param seed               seeds every random draw
     */
    public Impairment(double loss, double burstLength, Duration delay, Duration jitter, double reorder,
            Duration reorderHold, double duplicate, double corrupt, long rateBytesPerSecond, long seed) {
        this(loss, burstLength, delay, jitter, reorder, reorderHold, duplicate, corrupt, rateBytesPerSecond,
                QUEUE_BYTES_DEFAULT, seed);
    }

    /**
     * Reads a spec such as {@code loss=5%,delay=20ms,jitter=5ms,reorder=1%,seed=42}: comma-separated
     * {@code key=value} items, each key at most once, knobs not given keep their {@link #NONE} value.
     * {@code ""} and {@code "none"} give {@link #NONE}. Keys: {@code loss}, {@code burst},
     * {@code delay}, {@code jitter}, {@code reorder}, {@code hold}, {@code duplicate} (or {@code dup}),
     * {@code corrupt}, {@code rate}, {@code queue}, {@code seed}, and {@code reset} (streams only).
     * Probabilities are written {@code 5%} or {@code 0.05}; durations need a unit ({@code ns},
     * {@code us}, {@code ms}, {@code s}) unless zero; rates are {@code bit}, {@code kbit}, {@code mbit}, {@code gbit} (decimal, per second) or
     * {@code B/s}, {@code kB/s}, {@code MB/s}, {@code GB/s}, {@code KiB/s}, {@code MiB/s}, or
     * {@code 0} for unlimited; queue sizes are bytes, optionally with {@code B}, {@code kB},
     * {@code MB}, {@code KiB}, {@code MiB}.
     *
     * @throws IllegalArgumentException naming the offending key and the form it accepts, for an
     *                                  unknown or repeated key, a bad number or unit, or a value out of range
     */
    public static Impairment parse(String spec) {
        return ImpairmentSpec.parse(spec);
    }

    /**
     * This impairment as a spec that {@link #parse(String)} reads back to an equal record: only the
     * knobs that differ from {@link #NONE}, in a fixed order; {@code "none"} for {@link #NONE}.
     */
    public String toSpec() {
        return ImpairmentSpec.format(this);
    }

    /** Whether this does nothing at all to traffic (whatever its seed, burst, hold or queue settings). */
    public boolean isNone() {
        return loss == 0 && delay.isZero() && jitter.isZero() && reorder == 0 && duplicate == 0 && corrupt == 0
                && rateBytesPerSecond == 0 && reset == 0;
    }

    /** The same knobs with another seed; for the other direction of a link, use another seed. */
    public Impairment withSeed(long seed) {
        return new Impairment(loss, burstLength, delay, jitter, reorder, reorderHold, duplicate, corrupt,
                rateBytesPerSecond, queueBytes, seed, reset);
    }

    /** The same knobs with another stream-reset probability (0..1). */
    public Impairment withReset(double reset) {
        return new Impairment(loss, burstLength, delay, jitter, reorder, reorderHold, duplicate, corrupt,
                rateBytesPerSecond, queueBytes, seed, reset);
    }

    /** A new {@link SplittableRandom} seeded with {@link #seed()}: the same sequence on every call. */
    public RandomGenerator newRandom() {
        return new SplittableRandom(seed);
    }

    @Override
    public String toString() {
        return "Impairment[" + toSpec() + "]";
    }

    /**
     * The Gilbert-Elliott Good&rarr;Bad probability {@code loss * r / (1 - loss)} with
     * {@code r = 1 / burstLength}; the constructor rejects values above 1 (rounding aside).
     */
    static double goodToBad(double loss, double burstLength) {
        return loss / (burstLength * (1 - loss));
    }

    private static void checkProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability from 0 to 1: " + value);
        }
    }

    private static void checkDuration(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        if (value.compareTo(DURATION_MAX) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + DURATION_MAX + ": " + value);
        }
    }
}
