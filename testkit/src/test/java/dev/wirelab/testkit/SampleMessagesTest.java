package dev.wirelab.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Request;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The coverage check {@link CodecContract} relies on must be able to fail, and name what is missing. */
@Timeout(10)
class SampleMessagesTest {

    @Test
    void theRealSamplesCoverEveryRecordTypeOfTheRealHierarchy() {
        assertThat(SampleMessages.recordTypes()).hasSizeGreaterThanOrEqualTo(SampleMessages.KNOWN_RECORD_TYPES)
                .contains(Request.Echo.class);
        assertThatCode(() -> SampleMessages.assertEveryTypeSampled(SampleMessages.all())).doesNotThrowAnyException();
    }

    static Stream<Class<?>> recordTypes() {
        return SampleMessages.recordTypes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordTypes")
    void namesAMessageTypeWhoseSamplesWereRemoved(Class<?> removed) {
        List<ChatMessage> withoutIt = SampleMessages.all().stream().filter(m -> m.getClass() != removed).toList();

        assertThatThrownBy(() -> SampleMessages.assertEveryTypeSampled(withoutIt))
                .isInstanceOf(AssertionError.class)
                .hasMessage("no round-trip sample in SampleMessages for " + removed.getName());
    }

    @Test
    void walksNestedSealedTypesDownToTheirRecords() {
        assertThat(SampleMessages.recordTypes(Sealed.class))
                .containsExactlyInAnyOrder(Sealed.Leaf.class, Sealed.Inner.Deep.class, Sealed.Inner.Deeper.class);
        assertThatCode(() -> SampleMessages.assertEveryTypeSampled(Sealed.class, 3,
                List.of(new Sealed.Leaf(), new Sealed.Inner.Deep(), new Sealed.Inner.Deeper()))).doesNotThrowAnyException();
    }

    @Test
    void refusesALeafThatIsNotARecord() {
        assertThatThrownBy(() -> SampleMessages.assertEveryTypeSampled(WithAClass.class, 1, List.of(new WithAClass.Fine())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(WithAClass.Escapee.class.getName())
                .hasMessageContaining("not a record");
    }

    @Test
    void refusesANonSealedBranch() {
        assertThatThrownBy(() -> SampleMessages.assertEveryTypeSampled(WithAnOpenBranch.class, 1,
                List.of(new WithAnOpenBranch.Fine())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(WithAnOpenBranch.Open.class.getName());
    }

    @Test
    void refusesARootThatIsNotSealed() {
        assertThatThrownBy(() -> SampleMessages.assertEveryTypeSampled(NotSealed.class, 0, List.of()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(NotSealed.class.getName() + " is not sealed");
    }

    @Test
    void failsWhenTheWalkFindsFewerTypesThanAreKnown() {
        List<Sealed> all = List.of(new Sealed.Leaf(), new Sealed.Inner.Deep(), new Sealed.Inner.Deeper());

        assertThatThrownBy(() -> SampleMessages.assertEveryTypeSampled(Sealed.class, 4, all))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("found 3 record types, fewer than the 4 known");
    }

    sealed interface Sealed permits Sealed.Leaf, Sealed.Inner {
        record Leaf() implements Sealed {
        }

        sealed interface Inner extends Sealed permits Inner.Deep, Inner.Deeper {
            record Deep() implements Inner {
            }

            record Deeper() implements Inner {
            }
        }
    }

    sealed interface WithAClass permits WithAClass.Fine, WithAClass.Escapee {
        record Fine() implements WithAClass {
        }

        final class Escapee implements WithAClass {
        }
    }

    sealed interface WithAnOpenBranch permits WithAnOpenBranch.Fine, WithAnOpenBranch.Open {
        record Fine() implements WithAnOpenBranch {
        }

        non-sealed interface Open extends WithAnOpenBranch {
        }
    }

    interface NotSealed {
    }
}
