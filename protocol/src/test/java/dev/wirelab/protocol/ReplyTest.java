package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class ReplyTest {

    private static final RequestId ID = RequestId.of("r1");
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final StoredMessage STORED = new StoredMessage(MessageId.of(1), "lobby", "ana", "hi", AT);

    static Stream<Arguments> repliesMissingARequiredValue() {
        return Stream.of(
                arguments("Info without id", call(() -> new Reply.Info(null, "welcome", ""))),
                arguments("Info without data", call(() -> new Reply.Info(ID, "welcome", null))),
                arguments("Negotiated without capabilities", call(() -> new Reply.Negotiated(ID, 1, null, "wirelab"))),
                arguments("Negotiated without server", call(() -> new Reply.Negotiated(ID, 1, Set.of(), null))),
                arguments("Registered without id", call(() -> new Reply.Registered(null, "ana"))),
                arguments("LoggedIn without name", call(() -> new Reply.LoggedIn(ID, null))),
                arguments("Posted without message id", call(() -> new Reply.Posted(ID, null, AT))),
                arguments("Posted without time", call(() -> new Reply.Posted(ID, MessageId.of(1), null))),
                arguments("SentPrivate without time", call(() -> new Reply.SentPrivate(ID, MessageId.of(1), "bo", null))),
                arguments("Joined without members", call(() -> new Reply.Joined(ID, "lobby", null))),
                arguments("Left without room", call(() -> new Reply.Left(ID, null))),
                arguments("Users without names", call(() -> new Reply.Users(ID, null))),
                arguments("Rooms without id", call(() -> new Reply.Rooms(null, List.of()))),
                arguments("History without messages", call(() -> new Reply.History(ID, "lobby", null, true))),
                arguments("Echoed without text", call(() -> new Reply.Echoed(ID, null))),
                arguments("ServerTime without time", call(() -> new Reply.ServerTime(ID, null))),
                arguments("Pong without token", call(() -> new Reply.Pong(ID, null))),
                arguments("Goodbye without id", call(() -> new Reply.Goodbye(null))),
                arguments("Failed without code", call(() -> new Reply.Failed(ID, null, "no"))),
                arguments("Failed without message", call(() -> new Reply.Failed(ID, ErrorCode.INVALID_MESSAGE, null))));
    }

    static Stream<Arguments> repliesWithAnEmptyRequiredString() {
        return Stream.of(
                arguments("Registered with an empty name", call(() -> new Reply.Registered(ID, ""))),
                arguments("LoggedIn with an empty name", call(() -> new Reply.LoggedIn(ID, ""))),
                arguments("SentPrivate to nobody", call(() -> new Reply.SentPrivate(ID, MessageId.of(1), "", AT))),
                arguments("Joined an empty room", call(() -> new Reply.Joined(ID, "", List.of()))),
                arguments("Left an empty room", call(() -> new Reply.Left(ID, ""))),
                arguments("History of an empty room", call(() -> new Reply.History(ID, "", List.of(), true))));
    }

    private static ThrowingCallable call(ThrowingCallable callable) {
        return callable;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repliesMissingARequiredValue")
    void refusesNulls(String description, ThrowingCallable construction) {
        assertThatNullPointerException().isThrownBy(construction);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repliesWithAnEmptyRequiredString")
    void refusesEmptyRequiredStrings(String description, ThrowingCallable construction) {
        assertThatIllegalArgumentException().isThrownBy(construction).withMessageContaining("must not be empty");
    }

    @Test
    void negotiatedRefusesANonPositiveVersionAndCopiesItsCapabilities() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Reply.Negotiated(ID, 0, Set.of(), "wirelab"))
                .withMessageContaining("version");

        Set<Capability> granted = EnumSet.of(Capability.PUSH, Capability.ROOMS);
        Reply.Negotiated negotiated = new Reply.Negotiated(ID, 1, granted, "wirelab");
        granted.clear();

        assertThat(negotiated.capabilities()).containsExactlyInAnyOrder(Capability.PUSH, Capability.ROOMS);
    }

    @Test
    void listComponentsAreCopiedAndUnmodifiable() {
        List<String> members = new ArrayList<>(List.of("ana", "bo"));
        List<String> names = new ArrayList<>(List.of("ana"));
        List<RoomInfo> rooms = new ArrayList<>(List.of(new RoomInfo("lobby", 2)));
        List<StoredMessage> messages = new ArrayList<>(List.of(STORED));

        Reply.Joined joined = new Reply.Joined(ID, "lobby", members);
        Reply.Users users = new Reply.Users(ID, names);
        Reply.Rooms roomList = new Reply.Rooms(ID, rooms);
        Reply.History history = new Reply.History(ID, "lobby", messages, false);
        members.add("eve");
        names.clear();
        rooms.add(new RoomInfo("dev", 0));
        messages.set(0, new StoredMessage(MessageId.of(2), "lobby", "eve", "changed", AT));

        assertThat(joined.members()).containsExactly("ana", "bo");
        assertThat(users.names()).containsExactly("ana");
        assertThat(roomList.rooms()).containsExactly(new RoomInfo("lobby", 2));
        assertThat(history.messages()).containsExactly(STORED);
        assertThat(history.complete()).isFalse();
        assertThatThrownBy(() -> joined.members().add("mallory")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> history.messages().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listComponentsRefuseNullElements() {
        assertThatNullPointerException().isThrownBy(() -> new Reply.Users(ID, Arrays.asList("ana", null)));
        assertThatNullPointerException().isThrownBy(() -> new Reply.Joined(ID, "lobby", Arrays.asList((String) null)));
    }

    @Test
    void serverTimeIsTruncatedToTheSecondInItsOwnZone() {
        OffsetDateTime precise = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 999_999_999, ZoneOffset.ofHours(2));

        Reply.ServerTime time = new Reply.ServerTime(ID, precise);

        assertThat(time.time()).isEqualTo(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)));
        assertThat(time.time().getOffset()).isEqualTo(ZoneOffset.ofHours(2));
        assertThat(time).isEqualTo(new Reply.ServerTime(ID, precise.withNano(1)));
    }

    @Test
    void textRepliesMayBeEmpty() {
        assertThat(new Reply.Info(RequestId.NONE, "", "").text()).isEmpty();
        assertThat(new Reply.Echoed(ID, "").text()).isEmpty();
        assertThat(new Reply.Failed(ID, ErrorCode.UNSPECIFIED, "").message()).isEmpty();
        assertThat(new Reply.Failed(ID, ErrorCode.NAME_TAKEN, "taken").code()).isEqualTo(ErrorCode.NAME_TAKEN);
    }
}
