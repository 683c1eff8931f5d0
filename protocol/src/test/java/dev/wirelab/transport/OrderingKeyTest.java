package dev.wirelab.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderingKeyTest {

    @Test
    void theConnectionKeyIsChannelZeroAndNamedKeysNeverAre() {
        assertThat(OrderingKey.CONNECTION.channel(8)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(OrderingKey.of("room:" + i).channel(8)).isBetween(1, 7);
        }
    }

    @Test
    void aNameAlwaysMapsToTheSameChannelAndNamesSpreadOverAllOfThem() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            OrderingKey key = OrderingKey.of("room:" + i);
            assertThat(key.channel(8)).isEqualTo(OrderingKey.of("room:" + i).channel(8));
            used.add(key.channel(8));
        }
        assertThat(used).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void oneChannelCarriesEverything() {
        assertThat(OrderingKey.of("room:lobby").channel(1)).isZero();
        assertThatThrownBy(() -> OrderingKey.CONNECTION.channel(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNamedKeyNeedsAName() {
        assertThatThrownBy(() -> OrderingKey.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OrderingKey.CONNECTION");
    }
}
