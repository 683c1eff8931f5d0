package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class EventTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final MessageId ONE = MessageId.of(1);

    static Stream<Arguments> eventsMissingARequiredValue() {
        return Stream.of(
                arguments("RoomMessage without message", call(() -> new Event.RoomMessage(null))),
                arguments("PrivateMessage without id", call(() -> new Event.PrivateMessage(null, "ana", "bo", "hi", AT))),
                arguments("PrivateMessage without sender", call(() -> new Event.PrivateMessage(ONE, null, "bo", "hi", AT))),
                arguments("PrivateMessage without time", call(() -> new Event.PrivateMessage(ONE, "ana", "bo", "hi", null))),
                arguments("Presence without user", call(() -> new Event.Presence("lobby", null, PresenceChange.JOINED, AT))),
                arguments("Presence without change", call(() -> new Event.Presence("lobby", "ana", null, AT))),
                arguments("Closing without reason", call(() -> new Event.Closing(null, "bye"))),
                arguments("Closing without text", call(() -> new Event.Closing(ErrorCode.IDLE_TIMEOUT, null))));
    }

    static Stream<Arguments> eventsWithAnEmptyRequiredString() {
        return Stream.of(
                arguments("PrivateMessage from nobody", call(() -> new Event.PrivateMessage(ONE, "", "bo", "hi", AT))),
                arguments("PrivateMessage to nobody", call(() -> new Event.PrivateMessage(ONE, "ana", "", "hi", AT))),
                arguments("PrivateMessage with empty text", call(() -> new Event.PrivateMessage(ONE, "ana", "bo", "", AT))),
                arguments("Presence in an empty room", call(() -> new Event.Presence("", "ana", PresenceChange.LEFT, AT))),
                arguments("Presence of nobody", call(() -> new Event.Presence("lobby", "", PresenceChange.QUIT, AT))));
    }

    private static ThrowingCallable call(ThrowingCallable callable) {
        return callable;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventsMissingARequiredValue")
    void refusesNulls(String description, ThrowingCallable construction) {
        assertThatNullPointerException().isThrownBy(construction);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventsWithAnEmptyRequiredString")
    void refusesEmptyRequiredStrings(String description, ThrowingCallable construction) {
        assertThatIllegalArgumentException().isThrownBy(construction).withMessageContaining("must not be empty");
    }

    @Test
    void eventsHoldWhatTheyWereGiven() {
        StoredMessage stored = new StoredMessage(ONE, "lobby", "ana", "hi", AT);

        assertThat(new Event.RoomMessage(stored).message()).isEqualTo(stored);
        assertThat(new Event.Presence("lobby", "ana", PresenceChange.DISCONNECTED, AT).change())
                .isEqualTo(PresenceChange.DISCONNECTED);
        assertThat(new Event.Closing(ErrorCode.SERVER_SHUTTING_DOWN, "").text()).isEmpty();
    }
}
