package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class MessageIdTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void refusesZeroAndNegativeIds(long value) {
        assertThatIllegalArgumentException().isThrownBy(() -> MessageId.of(value))
                .withMessageContaining(Long.toString(value));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {1, 2, Long.MAX_VALUE})
    void acceptsPositiveIds(long value) {
        assertThat(MessageId.of(value).value()).isEqualTo(value);
        assertThat(MessageId.of(value)).isEqualTo(new MessageId(value)).hasToString(Long.toString(value));
    }

    @Test
    void ordersByValue() {
        List<MessageId> ids = new ArrayList<>(List.of(MessageId.of(10), MessageId.of(2), MessageId.of(Long.MAX_VALUE),
                MessageId.of(1)));

        Collections.sort(ids);

        assertThat(ids).containsExactly(MessageId.of(1), MessageId.of(2), MessageId.of(10), MessageId.of(Long.MAX_VALUE));
        assertThat(MessageId.of(3)).isLessThan(MessageId.of(4)).isGreaterThan(MessageId.of(2))
                .isEqualByComparingTo(MessageId.of(3));
    }

    @Test
    void nextIsOneGreater() {
        assertThat(MessageId.of(41).next()).isEqualTo(MessageId.of(42));
        assertThat(MessageId.of(41).next()).isGreaterThan(MessageId.of(41));
    }
}
