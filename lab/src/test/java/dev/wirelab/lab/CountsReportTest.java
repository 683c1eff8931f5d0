package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CountsReportTest {

    private final CapturedLines out = new CapturedLines();

    /** Counts that read as these lines, one per look, the last one forever after. */
    private static Supplier<String> counts(String... lines) {
        Queue<String> queue = new ArrayDeque<>(List.of(lines));
        return () -> queue.size() > 1 ? queue.remove() : queue.element();
    }

    @Test
    void printsNothingWhileTheCountsStayAsTheyStarted() {
        CountsReport report = new CountsReport(counts("0 passed"), out.writer());

        for (int tick = 0; tick < 720; tick++) {
            report.onTick();
        }

        assertThat(out.lines()).isEmpty();
    }

    @Test
    void printsALineOnlyWhenTheCountsChanged() {
        CountsReport report = new CountsReport(
                counts("0 passed", "0 passed", "1 passed", "1 passed", "1 passed", "3 passed", "3 passed"), out.writer());

        for (int tick = 0; tick < 10; tick++) {
            report.onTick();
        }

        assertThat(out.lines()).containsExactly("1 passed", "3 passed");
    }

    @Test
    void alwaysPrintsTheLastLineAtTheStop() {
        CountsReport idle = new CountsReport(counts("0 passed"), out.writer());
        idle.onTick();
        idle.onStop();
        assertThat(out.lines()).containsExactly("0 passed");

        CountsReport busy = new CountsReport(counts("0 passed", "2 passed"), out.writer());
        busy.onTick();
        busy.onStop();
        assertThat(out.lines()).containsExactly("0 passed", "2 passed", "2 passed");
    }
}
