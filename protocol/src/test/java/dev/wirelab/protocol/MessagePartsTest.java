package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The small records messages are built from: history cursors, stored messages, room lines. */
@Timeout(10)
class MessagePartsTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void historyCursorFactoriesBuildTheMatchingVariant() {
        MessageId id = MessageId.of(7);

        assertThat(HistoryCursor.LATEST).isInstanceOf(HistoryCursor.Latest.class).isEqualTo(new HistoryCursor.Latest());
        assertThat(HistoryCursor.before(id)).isInstanceOfSatisfying(HistoryCursor.Before.class,
                before -> assertThat(before.id()).isEqualTo(id));
        assertThat(HistoryCursor.after(id)).isInstanceOfSatisfying(HistoryCursor.After.class,
                after -> assertThat(after.id()).isEqualTo(id));
        assertThat(HistoryCursor.before(id)).isEqualTo(HistoryCursor.before(MessageId.of(7)))
                .isNotEqualTo(HistoryCursor.after(id))
                .isNotEqualTo(HistoryCursor.before(MessageId.of(8)));
    }

    @Test
    void historyCursorsRefuseAMissingId() {
        assertThatNullPointerException().isThrownBy(() -> HistoryCursor.before(null));
        assertThatNullPointerException().isThrownBy(() -> HistoryCursor.after(null));
    }

    @Test
    void storedMessageRefusesMissingOrEmptyParts() {
        MessageId id = MessageId.of(1);

        assertThatNullPointerException().isThrownBy(() -> new StoredMessage(null, "lobby", "ana", "hi", AT));
        assertThatNullPointerException().isThrownBy(() -> new StoredMessage(id, "lobby", "ana", "hi", null));
        assertThatIllegalArgumentException().isThrownBy(() -> new StoredMessage(id, "", "ana", "hi", AT));
        assertThatIllegalArgumentException().isThrownBy(() -> new StoredMessage(id, "lobby", "", "hi", AT));
        assertThatIllegalArgumentException().isThrownBy(() -> new StoredMessage(id, "lobby", "ana", "", AT));
        assertThat(new StoredMessage(id, "lobby", "ana", "hi", AT).text()).isEqualTo("hi");
    }

    @Test
    void roomInfoRefusesAnEmptyNameAndANegativeCount() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomInfo("", 1));
        assertThatNullPointerException().isThrownBy(() -> new RoomInfo(null, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomInfo("lobby", -1)).withMessageContaining("-1");
        assertThat(new RoomInfo("lobby", 0).members()).isZero();
    }
}
