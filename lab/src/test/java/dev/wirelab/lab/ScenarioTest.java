package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void theDefaultMatrixHasFiftyScenarios() {
        List<Scenario> all = Scenario.matrix("all", "all", "all");

        assertThat(all).hasSize(50).doesNotHaveDuplicates();
        assertThat(all.get(0).label()).isEqualTo("tcp json clean");
        assertThat(all.get(49).label()).isEqualTo("udp-reliable-ordered protobuf kernel-loss5");
    }

    @Test
    void filtersKeepTheOrderTypedAndIgnoreCaseSpacesAndRepeats() {
        List<Scenario> some = Scenario.matrix("udp-reliable-ordered, TCP,tcp", "json", "loss5,clean");

        assertThat(some).extracting(Scenario::label).containsExactly(
                "udp-reliable-ordered json loss5", "udp-reliable-ordered json clean",
                "tcp json loss5", "tcp json clean");
    }

    @Test
    void anEmptyFilterMeansAll() {
        assertThat(Scenario.matrix("", "protobuf", "loss5-jitter")).hasSize(5);
    }

    @Test
    void unknownNamesAreRejectedWithTheChoices() {
        assertThatThrownBy(() -> Scenario.matrix("sctp", "all", "all"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("udp-reliable-ordered");
        assertThatThrownBy(() -> Scenario.matrix("tcp", "xml", "all"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protobuf");
        assertThatThrownBy(() -> Scenario.matrix("tcp", "json", "loss50"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss5-jitter")
                .hasMessageContaining("kernel-loss5");
        assertThatThrownBy(() -> Scenario.matrix(",", "json", "clean"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void profilesSeedEachDirection() {
        assertThat(ScenarioProfile.CLEAN.impairment(7).isNone()).isTrue();
        assertThat(ScenarioProfile.LOSS5.impairment(7).seed()).isEqualTo(7);
        assertThat(ScenarioProfile.LOSS5_JITTER.impairment(8).toSpec()).contains("loss=5%").contains("reorder=1%");
    }

    @Test
    void postTextCarriesSequenceAndTimesAndIsPaddedToSize() {
        String text = ScenarioRunner.text(12, 123_456_789_012L, 123_456_789_999L, 64);

        assertThat(text).hasSize(64).startsWith("#12 123456789012 123456789999 ");
        assertThat(ScenarioRunner.parse(text)).contains(new ScenarioRunner.Post(12, 123_456_789_012L, 123_456_789_999L));
        assertThat(ScenarioRunner.parse("hello")).isEmpty();
        assertThat(ScenarioRunner.parse("#x y z")).isEmpty();
    }

    @Test
    void progressEstimatesTheTimeLeftFromTheScenariosDone() {
        assertThat(CompareCommand.progress(0.4, 0, 50)).isEqualTo("0 s elapsed");
        assertThat(CompareCommand.progress(12.0, 4, 50)).isEqualTo("12 s elapsed, about 138 s left");
        assertThat(CompareCommand.progress(150.0, 49, 50)).isEqualTo("150 s elapsed, about 3 s left");
    }
}
