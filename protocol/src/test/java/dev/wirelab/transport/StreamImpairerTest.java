package dev.wirelab.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The queue behind an impaired stream: back-pressure, and each way it can end. */
@Timeout(20)
class StreamImpairerTest {

    /** Records what the impairer hands over, for the test thread to take. */
    private static final class Recording implements StreamImpairer.Sink<String> {
        final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        final BlockingQueue<StreamImpairer.End> ends = new LinkedBlockingQueue<>();
        volatile boolean fail;

        @Override
        public void deliver(String item) throws IOException {
            if (fail) {
                throw new IOException("sink broke");
            }
            delivered.add(item);
        }

        @Override
        public void ended(StreamImpairer.End end) {
            ends.add(end);
        }

        String next() throws InterruptedException {
            return delivered.poll(10, TimeUnit.SECONDS);
        }

        StreamImpairer.End end() throws InterruptedException {
            return ends.poll(10, TimeUnit.SECONDS);
        }
    }

    private static StreamImpairer<String> start(String spec, int queueItems, Recording sink) {
        return StreamImpairer.start("test-impairer", new StreamModel(Impairment.parse(spec)), System::nanoTime,
                queueItems, 1 << 20, sink);
    }

    @Test
    void aFullQueueBlocksTheSenderUntilThereIsRoom() throws Exception {
        Recording sink = new Recording();
        StreamImpairer<String> impairer = start("delay=3600s", 2, sink);
        assertThat(impairer.offer("a", 1)).isTrue();
        assertThat(impairer.offer("b", 1)).isTrue();

        AtomicBoolean third = new AtomicBoolean(true);
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                third.set(impairer.offer("c", 1));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sender.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sender.getState()).as("the third sender waits for room").isEqualTo(Thread.State.WAITING);
        assertThat(impairer.queued()).isEqualTo(2);

        impairer.abort();
        sender.join(10_000);

        assertThat(third.get()).as("an aborted stream takes nothing more").isFalse();
        assertThat(sink.delivered).isEmpty();
        assertThat(impairer.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertThat(sink.ends).as("an abort is not reported").isEmpty();
    }

    @Test
    void finishDeliversWhatIsQueuedThenReportsFinished() throws Exception {
        Recording sink = new Recording();
        StreamImpairer<String> impairer = start("delay=20ms,jitter=10ms", 16, sink);
        for (String item : new String[] {"a", "b", "c"}) {
            impairer.offer(item, 1);
        }

        assertThat(impairer.finish(Duration.ofSeconds(10))).isTrue();
        assertThat(impairer.offer("late", 1)).isFalse();

        assertThat(sink.next()).isEqualTo("a");
        assertThat(sink.next()).isEqualTo("b");
        assertThat(sink.next()).isEqualTo("c");
        assertThat(sink.end()).isEqualTo(new StreamImpairer.End.Finished());
        assertThat(impairer.end()).contains(new StreamImpairer.End.Finished());
        assertThat(sink.delivered).isEmpty();
    }

    @Test
    void aLingerThatRunsOutDropsWhatIsStillDelayed() throws Exception {
        Recording sink = new Recording();
        StreamImpairer<String> impairer = start("delay=3600s", 16, sink);
        impairer.offer("a", 1);
        impairer.offer("b", 1);

        impairer.finish(Duration.ZERO);

        assertThat(sink.end()).isEqualTo(new StreamImpairer.End.Expired(2));
        assertThat(sink.delivered).isEmpty();
    }

    @Test
    void aResetDropsTheItemDueAndEverythingBehindIt() throws Exception {
        Recording sink = new Recording();
        StreamImpairer<String> impairer = start("reset=100%", 16, sink);

        impairer.offer("a", 1);

        assertThat(sink.end()).isEqualTo(new StreamImpairer.End.Reset());
        assertThat(impairer.offer("b", 1)).isFalse();
        assertThat(impairer.finish(Duration.ofSeconds(1))).as("already ended otherwise").isFalse();
        assertThat(sink.delivered).isEmpty();
    }

    @Test
    void aFailingSinkEndsTheStreamWithItsCause() throws Exception {
        Recording sink = new Recording();
        sink.fail = true;
        StreamImpairer<String> impairer = start("delay=1ms", 16, sink);

        impairer.offer("a", 1);

        StreamImpairer.End end = sink.end();
        assertThat(end).isInstanceOfSatisfying(StreamImpairer.End.Failed.class,
                failed -> assertThat(failed.cause()).hasMessage("sink broke"));
        assertThat(impairer.offer("b", 1)).isFalse();
    }
}
