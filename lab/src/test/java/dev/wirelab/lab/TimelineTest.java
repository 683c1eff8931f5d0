package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler behind the UDP relay: due order, ties, lower bounds, capacity. No sockets, no sleeps. */
@Timeout(20)
class TimelineTest {

    private static final long MS = 1_000_000L;

    @Test
    void runsActionsInDueOrderNotInScheduleOrder() throws Exception {
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        try (Timeline timeline = new Timeline("test-timeline", System::nanoTime, 100)) {
            long now = System.nanoTime();
            timeline.schedule(now + 60 * MS, () -> ran.add("c"));
            timeline.schedule(now + 20 * MS, () -> ran.add("a"));
            timeline.schedule(now + 40 * MS, () -> ran.add("b1"));
            timeline.schedule(now + 40 * MS, () -> ran.add("b2"));

            List<String> order = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                order.add(ran.poll(10, TimeUnit.SECONDS));
            }
            assertThat(order).containsExactly("a", "b1", "b2", "c");
        }
    }

    @Test
    void neverRunsAnActionBeforeItsTime() throws Exception {
        BlockingQueue<Long> late = new LinkedBlockingQueue<>();
        try (Timeline timeline = new Timeline("test-timeline", System::nanoTime, 100)) {
            for (int i = 0; i < 20; i++) {
                long due = System.nanoTime() + (i % 5) * 10 * MS;
                timeline.schedule(due, () -> late.add(System.nanoTime() - due));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(late.poll(10, TimeUnit.SECONDS)).isNotNull().isGreaterThanOrEqualTo(0L);
            }
        }
    }

    @Test
    void refusesMoreThanItsCapacityAndAnythingOnceClosed() {
        Timeline timeline = new Timeline("test-timeline", System::nanoTime, 2);
        long far = System.nanoTime() + 3_600_000 * MS;

        assertThat(timeline.schedule(far, () -> { })).isTrue();
        assertThat(timeline.schedule(far, () -> { })).isTrue();
        assertThat(timeline.schedule(far, () -> { })).isFalse();
        assertThat(timeline.pending()).isEqualTo(2);

        timeline.close();
        assertThat(timeline.schedule(System.nanoTime(), () -> { })).isFalse();
        assertThat(timeline.pending()).isZero();
    }

    @Test
    void keepsGoingAfterAnActionFails() throws Exception {
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        try (Timeline timeline = new Timeline("test-timeline", System::nanoTime, 10)) {
            long now = System.nanoTime();
            timeline.schedule(now, () -> {
                throw new java.io.IOException("boom");
            });
            timeline.schedule(now + MS, () -> ran.add("after"));

            assertThat(ran.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
        }
    }
}
