package dev.wirelab.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The impairment record: validation, the spec grammar, and round trips through it. */
@Timeout(10)
class ImpairmentTest {

    @Test
    void parsesTheExampleSpecIntoExactlyTheExpectedRecord() {
        Impairment parsed = Impairment.parse("loss=5%,delay=20ms,jitter=5ms,reorder=1%,seed=42");

        assertThat(parsed).isEqualTo(new Impairment(0.05, 1, Duration.ofMillis(20), Duration.ofMillis(5), 0.01,
                Duration.ofMillis(10), 0, 0, 0, 65_536, 42));
        assertThat(parsed.reorderHold()).isEqualTo(Impairment.REORDER_HOLD_DEFAULT);
        assertThat(parsed.queueBytes()).isEqualTo(Impairment.QUEUE_BYTES_DEFAULT);
    }

    @Test
    void writesTheExampleSpecBackInCanonicalForm() {
        String spec = "loss=5%,delay=20ms,jitter=5ms,reorder=1%,seed=42";

        assertThat(Impairment.parse(spec).toSpec()).isEqualTo(spec);
    }

    @Test
    void noneEmptyAndBlankSpecsAllMeanThePerfectLink() {
        assertThat(Impairment.parse("none")).isSameAs(Impairment.NONE);
        assertThat(Impairment.parse("")).isSameAs(Impairment.NONE);
        assertThat(Impairment.parse("  NONE ")).isSameAs(Impairment.NONE);
        assertThat(Impairment.NONE.toSpec()).isEqualTo("none");
        assertThat(Impairment.NONE.isNone()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "loss=5%",
        "loss=10%,burst=1.48,delay=5.7ms,jitter=10ms,rate=1050kbit,seed=7",
        "loss=5%,delay=30ms,jitter=32.5ms,seed=1",
        "loss=30%,burst=4,delay=1500ms,jitter=250us,reorder=5%,hold=3ms,duplicate=1%,corrupt=0.1%,rate=1mbit,"
                + "queue=100000,seed=-7",
        "hold=5ms",
        "delay=7ns",
        "rate=1001B/s",
        "rate=1gbit,queue=1MiB",
        "loss=100%",
        "seed=9223372036854775807"
    })
    void canonicalSpecsReadBackToThemselves(String spec) {
        Impairment parsed = Impairment.parse(spec);

        assertThat(parsed.toSpec()).isEqualTo(spec);
        assertThat(Impairment.parse(parsed.toSpec())).isEqualTo(parsed);
    }

    @Test
    void anyValidRecordSurvivesARoundTripThroughItsSpec() {
        RandomGenerator random = new SplittableRandom(20_240_601);
        for (int i = 0; i < 2_000; i++) {
            double loss = random.nextInt(4) == 0 ? 0 : random.nextDouble(0.5);
            double burst = random.nextBoolean() ? 1 : 1 + random.nextDouble(20);
            Impairment impairment = new Impairment(loss, burst,
                    Duration.ofNanos(random.nextLong(Impairment.DURATION_MAX.toNanos() + 1)),
                    Duration.ofNanos(random.nextLong(5_000_000_000L)),
                    random.nextDouble(), Duration.ofNanos(random.nextLong(1_000_000_000L)),
                    random.nextDouble(), random.nextDouble(), random.nextLong(2_000_000_000L),
                    1 + random.nextLong(10_000_000), random.nextLong());

            assertThat(Impairment.parse(impairment.toSpec())).as(impairment.toSpec()).isEqualTo(impairment);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "rate=1mbit; 125000",
        "rate=1Mbit/s; 125000",
        "rate=500kbit; 62500",
        "rate=1.05mbit; 131250",
        "rate=64kB/s; 64000",
        "rate=1KiB/s; 1024",
        "rate=2MB/s; 2000000",
        "rate=8000bit; 1000",
        "rate=0; 0"
    })
    void readsRatesInBitsOrBytesPerSecond(String spec, long bytesPerSecond) {
        assertThat(Impairment.parse(spec).rateBytesPerSecond()).isEqualTo(bytesPerSecond);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "delay=20ms; 20000000",
        "delay=1.5s; 1500000000",
        "delay=250us; 250000",
        "delay=250µs; 250000",
        "delay=7ns; 7",
        "delay=0.5 ms; 500000",
        "delay=0; 0"
    })
    void readsDurationsWithTheirUnits(String spec, long nanos) {
        assertThat(Impairment.parse(spec).delay()).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void readsProbabilitiesAsPercentagesOrFractions() {
        assertThat(Impairment.parse("loss=5%").loss()).isEqualTo(0.05);
        assertThat(Impairment.parse("loss=0.05").loss()).isEqualTo(0.05);
        assertThat(Impairment.parse("loss=.05").loss()).isEqualTo(0.05);
        assertThat(Impairment.parse("loss=100%").loss()).isEqualTo(1.0);
        assertThat(Impairment.parse("loss=1").loss()).isEqualTo(1.0);
        assertThat(Impairment.parse("dup=2%").duplicate()).isEqualTo(0.02);
        assertThat(Impairment.parse("duplicate=2%").duplicate()).isEqualTo(0.02);
        assertThat(Impairment.parse(" loss = 5% , corrupt = 0.1% ").corrupt()).isEqualTo(0.001);
    }

    @Test
    void readsQueueSizesInBytes() {
        assertThat(Impairment.parse("queue=1500").queueBytes()).isEqualTo(1_500);
        assertThat(Impairment.parse("queue=64KiB").queueBytes()).isEqualTo(65_536);
        assertThat(Impairment.parse("queue=100kB").queueBytes()).isEqualTo(100_000);
        assertThat(Impairment.parse("queue=1MiB").queueBytes()).isEqualTo(1L << 20);
    }

    @Test
    void rejectsAnUnknownKeyAndListsTheKnownOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse("loss=5%,latency=20ms"))
                .withMessage("invalid impairment spec \"loss=5%,latency=20ms\": unknown key 'latency'; expected one of "
                        + "loss, burst, delay, jitter, reorder, hold, duplicate (or dup), corrupt, rate, queue, reset, seed");
    }

    @Test
    void rejectsALossAboveOneHundredPercent() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse("loss=150%"))
                .withMessage("invalid impairment spec \"loss=150%\": loss=150% is out of range; "
                        + "expected a probability from 0% to 100%, like 5% or 0.05");
    }

    @Test
    void rejectsAPercentageWrittenWithoutThePercentSign() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse("loss=5"))
                .withMessageContaining("loss=5 is out of range")
                .withMessageContaining("like 5% or 0.05");
    }

    @Test
    void rejectsANegativeDelay() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse("delay=-1ms"))
                .withMessage("invalid impairment spec \"delay=-1ms\": delay=-1ms is negative; expected a duration "
                        + ">= 0 with a unit (ns, us, ms, s), like 20ms, 1.5s or 250us, or 0");
    }

    @Test
    void rejectsARateThatIsNotARate() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse("rate=fast"))
                .withMessage("invalid impairment spec \"rate=fast\": rate=fast is not a number; "
                        + "expected a rate like 1mbit, 500kbit, 64kB/s or 8000B/s, or 0 for unlimited");
    }

    @Test
    void rejectsABurstLengthBelowOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse("loss=5%,burst=0.5"))
                .withMessage("invalid impairment spec \"loss=5%,burst=0.5\": burst=0.5 is below 1; "
                        + "expected a mean loss-burst length in datagrams >= 1, like 4 (1 = independent loss)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "delay=20; delay=20 has no unit",
        "delay=20m; delay=20m has an unknown unit 'm'",
        "jitter=; jitter has no value",
        "rate=1000; rate=1000 has no unit",
        "rate=1mbps; rate=1mbps has an unknown unit 'mbps'",
        "rate=0.1bit; rate=0.1bit is below 1 byte per second",
        "queue=0; queue=0 is below 1 byte",
        "queue=1.5; queue=1.5 is not a whole number of bytes",
        "seed=abc; seed=abc is not a whole number",
        "loss=5%,loss=6%; key 'loss' given more than once",
        "dup=1%,duplicate=1%; key 'duplicate' given more than once",
        "loss; 'loss' is not key=value",
        "loss=5%,,delay=1ms; empty item",
        "loss=five; loss=five is not a number",
        "loss=5ms; loss=5ms has an unknown unit 'ms'",
        "burst=4x; burst=4x has an unknown unit 'x'",
        "hold=2d; hold=2d has an unknown unit 'd'",
        "delay=25h; delay=25h has an unknown unit 'h'",
        "delay=100000s; delay=100000s is longer than 24 hours"
    })
    void rejectsMalformedItemsNamingTheKey(String spec, String problem) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse(spec))
                .withMessageStartingWith("invalid impairment spec \"" + spec + "\": " + problem);
    }

    @Test
    void rejectsABurstTooShortForAHighLossRate() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Impairment.parse("loss=90%,burst=2"))
                .withMessageContaining("burstLength must be at least loss / (1 - loss)");
        assertThat(Impairment.parse("loss=90%,burst=9").burstLength()).isEqualTo(9.0);
    }

    @Test
    void theConstructorValidatesEveryKnob() {
        Duration ms = Duration.ofMillis(1);
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(1.5, 1, ms, ms, 0, ms, 0, 0, 0, 0))
                .withMessageContaining("loss");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(Double.NaN, 1, ms, ms, 0, ms, 0, 0, 0, 0))
                .withMessageContaining("loss");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(0, 0.5, ms, ms, 0, ms, 0, 0, 0, 0))
                .withMessageContaining("burstLength");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Impairment(0, 1, ms.negated(), ms, 0, ms, 0, 0, 0, 0))
                .withMessageContaining("delay");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Impairment(0, 1, ms, ms.negated(), 0, ms, 0, 0, 0, 0))
                .withMessageContaining("jitter");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Impairment(0, 1, ms, ms, 0, ms.negated(), 0, 0, 0, 0))
                .withMessageContaining("reorderHold");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(0, 1, ms, ms, -0.1, ms, 0, 0, 0, 0))
                .withMessageContaining("reorder");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(0, 1, ms, ms, 0, ms, 2, 0, 0, 0))
                .withMessageContaining("duplicate");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(0, 1, ms, ms, 0, ms, 0, -1, 0, 0))
                .withMessageContaining("corrupt");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(0, 1, ms, ms, 0, ms, 0, 0, -1, 0))
                .withMessageContaining("rateBytesPerSecond");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impairment(0, 1, ms, ms, 0, ms, 0, 0, 1, 0, 0))
                .withMessageContaining("queueBytes");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Impairment(0, 1, Duration.ofDays(2), ms, 0, ms, 0, 0, 0, 0))
                .withMessageContaining("delay must be at most");
    }

    @Test
    void aReorderWithoutAHoldIsHeldTenMilliseconds() {
        Impairment impairment = new Impairment(0, 1, Duration.ZERO, Duration.ZERO, 0.05, Duration.ZERO, 0, 0, 0, 0);

        assertThat(impairment.reorderHold()).isEqualTo(Duration.ofMillis(10));
        assertThat(Impairment.parse("reorder=5%,hold=3ms").reorderHold()).isEqualTo(Duration.ofMillis(3));
        assertThat(Impairment.parse("reorder=5%,hold=3ms").toSpec()).isEqualTo("reorder=5%,hold=3ms");
    }

    @Test
    void theShortConstructorQueuesSixtyFourKibibytes() {
        Impairment impairment = new Impairment(0, 1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, 0, 1_000, 3);

        assertThat(impairment.queueBytes()).isEqualTo(65_536);
        assertThat(impairment.seed()).isEqualTo(3);
    }

    @Test
    void isNoneOnlyWhenNothingHappensToTraffic() {
        assertThat(Impairment.NONE.withSeed(5).isNone()).isTrue();
        assertThat(Impairment.parse("hold=5ms,queue=1500,burst=3").isNone()).isTrue();
        for (String spec : new String[] {"loss=1%", "delay=1ms", "jitter=1us", "reorder=1%", "dup=1%",
            "corrupt=1%", "rate=1mbit"}) {
            assertThat(Impairment.parse(spec).isNone()).as(spec).isFalse();
        }
    }

    @Test
    void withSeedChangesOnlyTheSeed() {
        Impairment impairment = Impairment.parse("loss=5%,burst=3,delay=20ms,rate=1mbit,seed=1");

        Impairment reseeded = impairment.withSeed(99);

        assertThat(reseeded.seed()).isEqualTo(99);
        assertThat(reseeded.withSeed(1)).isEqualTo(impairment);
        assertThat(reseeded.toSpec()).isEqualTo("loss=5%,burst=3,delay=20ms,rate=1mbit,seed=99");
    }

    @Test
    void newRandomReplaysTheSameSequenceForTheSameSeed() {
        Impairment impairment = Impairment.parse("seed=42");

        long[] first = impairment.newRandom().longs(8).toArray();
        long[] second = impairment.newRandom().longs(8).toArray();
        long[] other = impairment.withSeed(43).newRandom().longs(8).toArray();

        assertThat(second).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void toStringShowsTheSpec() {
        assertThat(Impairment.parse("loss=5%,seed=3")).hasToString("Impairment[loss=5%,seed=3]");
    }
}
