package dev.wirelab.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream-only {@code reset} knob: parsed, written, validated, and absent from the older constructors. */
@Timeout(10)
class ImpairmentResetTest {

    @Test
    void readsAndWritesReset() {
        Impairment impairment = Impairment.parse("loss=5%,reset=0.1%,seed=3");

        assertThat(impairment.reset()).isEqualTo(0.001);
        assertThat(impairment.toSpec()).isEqualTo("loss=5%,reset=0.1%,seed=3");
        assertThat(Impairment.parse(impairment.toSpec())).isEqualTo(impairment);
        assertThat(Impairment.parse("corrupt=1%,reset=1%,rate=1mbit").toSpec()).isEqualTo("corrupt=1%,reset=1%,rate=1mbit");
    }

    @Test
    void theOlderConstructorsMeanNoResets() {
        Duration ms = Duration.ofMillis(1);
        assertThat(new Impairment(0, 1, ms, ms, 0, ms, 0, 0, 0, 7).reset()).isZero();
        assertThat(new Impairment(0, 1, ms, ms, 0, ms, 0, 0, 0, 1_500, 7).reset()).isZero();
        assertThat(Impairment.NONE.reset()).isZero();
    }

    @Test
    void aResetIsAnImpairmentThatSurvivesANewSeed() {
        Impairment impairment = Impairment.parse("reset=1%");

        assertThat(impairment.isNone()).isFalse();
        assertThat(impairment.withSeed(9).reset()).isEqualTo(0.01);
        assertThat(Impairment.NONE.withReset(0.5).reset()).isEqualTo(0.5);
    }

    @Test
    void refusesAResetThatIsNotAProbability() {
        assertThatIllegalArgumentException().isThrownBy(() -> Impairment.parse("reset=150%"))
                .withMessageContaining("reset=150% is out of range");
        assertThatIllegalArgumentException().isThrownBy(() -> Impairment.NONE.withReset(-0.1))
                .withMessageContaining("reset must be a probability");
    }

    @Test
    void aDatagramLinkIgnoresResets() {
        LinkModel plain = new LinkModel(Impairment.parse("loss=10%,seed=4"));
        LinkModel withReset = new LinkModel(Impairment.parse("loss=10%,reset=50%,seed=4"));

        for (int i = 0; i < 10_000; i++) {
            assertThat(withReset.send(new byte[] {1}, i)).isEqualTo(plain.send(new byte[] {1}, i));
        }
    }
}
