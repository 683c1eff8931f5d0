package dev.wirelab.transport;

import static dev.wirelab.transport.LinkStatistics.MS;
import static dev.wirelab.transport.LinkStatistics.assertBinomial;
import static dev.wirelab.transport.LinkStatistics.count;
import static dev.wirelab.transport.LinkStatistics.lossPattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.wirelab.transport.StreamModel.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One impaired direction of a reliable stream, as a pure function of send times: order kept, delay a
 * lower bound, loss turned into stalls that hold back what follows, rate as exact serialisation,
 * resets, and the same fate for the same seed. Times are injected; nothing sleeps.
 */
@Timeout(20)
class StreamModelTest {

    private static final int N = 100_000;

    private static StreamModel stream(String spec) {
        return new StreamModel(Impairment.parse(spec));
    }

    /** Sends {@code n} frames of {@code bytes}, one every {@code gapNanos}, from time 0. */
    private static List<Release> run(StreamModel stream, int n, int bytes, long gapNanos) {
        List<Release> releases = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            releases.add(stream.send(bytes, i * gapNanos));
        }
        return releases;
    }

    private static boolean[] stalls(List<Release> releases) {
        boolean[] stalled = new boolean[releases.size()];
        for (int i = 0; i < stalled.length; i++) {
            stalled[i] = releases.get(i).stalled();
        }
        return stalled;
    }

    @Test
    void keepsOrderUnderJitterAndNeverReleasesBeforeTheDelay() {
        List<Release> releases = run(stream("delay=20ms,jitter=50ms,seed=9"), N, 100, MS);

        long bunched = 0;
        for (int i = 0; i < N; i++) {
            long release = releases.get(i).atNanos();
            assertThat(release - i * MS).as("transit of frame %d", i).isGreaterThanOrEqualTo(20 * MS);
            if (i > 0) {
                assertThat(release).as("frame %d released before frame %d", i, i - 1)
                        .isGreaterThanOrEqualTo(releases.get(i - 1).atNanos());
                if (release == releases.get(i - 1).atNanos()) {
                    bunched++;
                }
            }
        }
        // Jitter of 50 ms on frames 1 ms apart would reorder most of them; here they wait instead.
        assertThat(bunched).isGreaterThan(N / 2);
    }

    @Test
    void stallsAboutTheLossShareOfFrames() {
        for (double loss : new double[] {0.01, 0.05, 0.2}) {
            StreamModel stream = stream("loss=" + loss + ",seed=11");
            long stalled = count(stalls(run(stream, N, 100, MS)));

            assertBinomial("stalls at loss " + loss, stalled, N, loss);
            assertThat(stream.stats().stalled()).isEqualTo(stalled);
            assertThat(stream.stats().sent()).isEqualTo(N);
        }
    }

    @Test
    void stallsExactlyTheFramesALinkModelWithTheSameSpecLoses() {
        String spec = "loss=10%,burst=3,seed=8";

        boolean[] stalled = stalls(run(stream(spec + ",delay=30ms,jitter=7ms,rate=1mbit,reset=1%"), N, 200, MS));
        boolean[] lost = lossPattern(new LinkModel(Impairment.parse(spec)), N);

        assertThat(stalled).isEqualTo(lost);
    }

    @Test
    void eachStallHoldsBackEveryFrameSentBeforeItArrives() {
        List<Release> releases = run(stream("loss=0.2%,delay=10ms,seed=4"), N, 100, MS);

        long stalls = 0;
        long heldBack = 0;
        for (int i = 0; i < N; i++) {
            Release release = releases.get(i);
            if (release.stalled()) {
                stalls++;
                assertThat(release.atNanos() - i * MS).as("stalled frame %d", i).isGreaterThanOrEqualTo(210 * MS);
                for (int j = i + 1; j < N && j * MS + 10 * MS < release.atNanos(); j++) {
                    assertThat(releases.get(j).atNanos()).as("frame %d behind stalled frame %d", j, i)
                            .isGreaterThanOrEqualTo(release.atNanos());
                }
            } else if (release.atNanos() > i * MS + 10 * MS) {
                heldBack++;
            }
        }
        assertThat(stalls).isPositive();
        // Frames 1 ms apart behind a 200 ms stall: up to about 200 frames wait behind each one.
        assertThat(heldBack).isGreaterThan(stalls * 100);
    }

    @Test
    void aStallLastsTcpsMinimumRtoOrOneRoundTripWhicheverIsLonger() {
        assertThat(StreamModel.stallDuration(Impairment.NONE)).isEqualTo(Duration.ofMillis(200));
        assertThat(StreamModel.stallDuration(Impairment.parse("delay=50ms"))).isEqualTo(Duration.ofMillis(200));
        assertThat(StreamModel.stallDuration(Impairment.parse("delay=150ms"))).isEqualTo(Duration.ofMillis(300));

        Release only = stream("loss=100%,delay=150ms").send(10, 0);
        assertThat(only.stalled()).isTrue();
        assertThat(only.atNanos()).isEqualTo(450 * MS);
    }

    @Test
    void rateSerialisesTheStreamExactlyWithoutDroppingAnything() {
        // 1 Mbit/s is 125,000 B/s: a 1,250-byte frame takes 10 ms.
        List<Release> releases = run(stream("rate=1mbit,delay=5ms"), 1_000, 1_250, 0);

        for (int k = 0; k < 1_000; k++) {
            assertThat(releases.get(k).atNanos()).isEqualTo((k + 1) * 10 * MS + 5 * MS);
        }
        // N frames of B bytes take N * B / rate: 1,000 * 1,250 / 125,000 = 10 s, queue limit or not.
        assertThat(releases.get(999).atNanos() - 5 * MS).isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void resetsAboutTheirShareIndependentlyOfLoss() {
        List<Release> plain = run(stream("reset=1%,seed=5"), N, 100, MS);
        List<Release> lossy = run(stream("reset=1%,loss=20%,delay=3ms,seed=5"), N, 100, MS);

        long resets = plain.stream().filter(Release::reset).count();
        assertBinomial("resets", resets, N, 0.01);
        for (int i = 0; i < N; i++) {
            assertThat(lossy.get(i).reset()).isEqualTo(plain.get(i).reset());
        }
    }

    @Test
    void theSameSeedGivesTheSameFateAndAnotherSeedAnother() {
        String spec = "loss=5%,burst=2,delay=20ms,jitter=5ms,rate=10mbit,reset=0.5%";
        SplittableRandom sizes = new SplittableRandom(3);
        List<Release> first = new ArrayList<>();
        List<Release> second = new ArrayList<>();
        List<Release> other = new ArrayList<>();
        StreamModel a = stream(spec + ",seed=42");
        StreamModel b = stream(spec + ",seed=42");
        StreamModel c = stream(spec + ",seed=43");
        long now = 0;
        for (int i = 0; i < 20_000; i++) {
            int size = sizes.nextInt(1, 1_500);
            now += sizes.nextLong(2 * MS);
            first.add(a.send(size, now));
            second.add(b.send(size, now));
            other.add(c.send(size, now));
        }

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(a.stats()).isEqualTo(b.stats());
    }

    @Test
    void noImpairmentReleasesEveryFrameTheMomentItIsSent() {
        StreamModel stream = new StreamModel(Impairment.NONE);
        for (int i = 0; i < 1_000; i++) {
            assertThat(stream.send(1_000, i * 7L)).isEqualTo(new Release(i * 7L, false, false));
        }
    }

    @Test
    void saysWhichKnobsAStreamIgnores() {
        assertThat(StreamModel.ignoredOnStreams(Impairment.parse("loss=5%,dup=1%,reorder=2%,corrupt=0.1%,delay=1ms")))
                .isEqualTo("reorder=2%,duplicate=1%,corrupt=0.1%");
        assertThat(StreamModel.ignoredOnStreams(Impairment.parse("loss=5%,delay=1ms,hold=3ms"))).isEmpty();

        assertThat(StreamModel.affectsStreams(Impairment.parse("dup=50%,reorder=50%,corrupt=50%,queue=1500"))).isFalse();
        for (String spec : new String[] {"loss=1%", "delay=1ms", "jitter=1ms", "rate=1mbit", "reset=1%"}) {
            assertThat(StreamModel.affectsStreams(Impairment.parse(spec))).as(spec).isTrue();
        }
    }

    @Test
    void refusesANegativeSize() {
        assertThatIllegalArgumentException().isThrownBy(() -> stream("delay=1ms").send(-1, 0));
    }
}
