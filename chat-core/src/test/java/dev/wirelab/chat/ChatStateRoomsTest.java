package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RoomInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rooms, private messages, the text-size limit and the posting rate limit: the refusals the chat
 * must give, with the right codes, and the boundaries that must still pass.
 */
@Timeout(10)
class ChatStateRoomsTest {

    private static final String LOBBY = Request.DEFAULT_ROOM;

    private final Harness h = new Harness();

    // ---------------------------------------------------------------- rooms

    @Test
    void postingToARoomOneHasNotJoinedIsNotInRoom() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.clear();

        Reply.Failed failed = h.ask(bob, h.postTo("den", "let me in"), Reply.Failed.class);

        assertThat(failed.code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
        assertThat(h.events(alice)).isEmpty();
        assertThat(h.ask(alice, h.latest("den", 10), Reply.History.class).messages()).isEmpty();
    }

    @Test
    void postingToARoomThatDoesNotExistIsUnknownRoom() {
        SessionId alice = h.pushUser("Alice");

        assertThat(h.ask(alice, h.postTo("nowhere", "hello?"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_ROOM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad room", "#den", "-den", ".den", "_den", "dén", "den*", "den/x", "den\n"})
    void joiningARoomWithAnInvalidNameIsInvalidParams(String room) {
        SessionId alice = h.pushUser("Alice");

        assertThat(h.ask(alice, h.join(room), Reply.Failed.class).code()).isEqualTo(ErrorCode.INVALID_PARAMS);
        assertThat(h.ask(alice, h.listRooms(), Reply.Rooms.class).rooms()).containsExactly(new RoomInfo(LOBBY, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"den", "9lives", "golang.nuts", "a_b-c", "D"})
    void joiningARoomWithAValidNameCreatesIt(String room) {
        SessionId alice = h.pushUser("Alice");

        assertThat(h.ask(alice, h.join(room), Reply.Joined.class).room()).isEqualTo(room);
        assertThat(h.ask(alice, h.listRooms(), Reply.Rooms.class).rooms())
                .containsExactly(new RoomInfo(LOBBY, 1), new RoomInfo(room, 1));
    }

    @Test
    void roomNamesMayHaveSixtyFourCharactersButNotSixtyFive() {
        SessionId alice = h.pushUser("Alice");

        assertThat(h.ask(alice, h.join("r".repeat(65)), Reply.Failed.class).code()).isEqualTo(ErrorCode.INVALID_PARAMS);
        assertThat(h.ask(alice, h.join("r".repeat(64)))).isInstanceOf(Reply.Joined.class);
    }

    @Test
    void anEmptyRoomDisappearsOnceItsLastMemberLeaves() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.join("den"), Reply.Joined.class);
        h.ask(alice, h.postTo("den", "remember me"), Reply.Posted.class);

        h.ask(alice, h.leave("den"), Reply.Left.class);
        assertThat(h.ask(alice, h.listRooms(), Reply.Rooms.class).rooms())
                .containsExactly(new RoomInfo(LOBBY, 2), new RoomInfo("den", 1));
        h.ask(bob, h.leave("den"), Reply.Left.class);

        assertThat(h.ask(alice, h.listRooms(), Reply.Rooms.class).rooms()).containsExactly(new RoomInfo(LOBBY, 2));
        assertThat(h.ask(alice, h.postTo("den", "anyone?"), Reply.Failed.class).code()).isEqualTo(ErrorCode.UNKNOWN_ROOM);
        assertThat(h.ask(alice, h.join("den"), Reply.Joined.class).members()).containsExactly("Alice");
        assertThat(h.ask(alice, h.latest("den", 10), Reply.History.class).messages())
                .as("a room created afresh starts without history").isEmpty();
    }

    @Test
    void aRoomDisappearsWhenItsLastMemberDisconnectsOrQuits() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.join("attic"), Reply.Joined.class);

        h.record(h.state.disconnect(alice, PresenceChange.DISCONNECTED, h.now));
        SessionId carol = h.seedUser("Carol");
        assertThat(h.ask(carol, h.listRooms(), Reply.Rooms.class).rooms())
                .containsExactly(new RoomInfo(LOBBY, 2), new RoomInfo("attic", 1));
        h.ask(bob, h.quit(), Reply.Goodbye.class);

        assertThat(h.ask(carol, h.listRooms(), Reply.Rooms.class).rooms()).containsExactly(new RoomInfo(LOBBY, 1));
    }

    @Test
    void theLobbyNeverDisappears() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.seedUser("Bob");

        h.ask(alice, h.leave(LOBBY), Reply.Left.class);
        h.ask(bob, h.leave(LOBBY), Reply.Left.class);
        assertThat(h.ask(bob, h.listRooms(), Reply.Rooms.class).rooms()).containsExactly(new RoomInfo(LOBBY, 0));
        h.ask(alice, h.quit(), Reply.Goodbye.class);
        h.record(h.state.disconnect(bob, PresenceChange.DISCONNECTED, h.now));

        SessionId late = h.connect();
        assertThat(h.ask(late, h.listRooms(), Reply.Rooms.class).rooms()).containsExactly(new RoomInfo(LOBBY, 0));
        h.ask(late, h.register("Late"), Reply.Registered.class);
        assertThat(h.ask(late, h.post("back in the lobby"))).isInstanceOf(Reply.Posted.class);
    }

    @Test
    void aUserWhoLeftTheLobbyCannotPostThereUntilRejoining() {
        SessionId alice = h.pushUser("Alice");
        h.ask(alice, h.leave(LOBBY), Reply.Left.class);

        assertThat(h.ask(alice, h.post("hello?"), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
        h.ask(alice, h.join(LOBBY), Reply.Joined.class);
        assertThat(h.ask(alice, h.post("hello!"))).isInstanceOf(Reply.Posted.class);
    }

    // ---------------------------------------------------------------- private messages

    @Test
    void privateMessageToSomeoneNotOnlineIsUnknownUser() {
        SessionId alice = h.pushUser("Alice");
        SessionId anonymous = h.connect();
        h.clear();

        assertThat(h.ask(alice, h.privately("Nobody", "hi"), Reply.Failed.class).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
        assertThat(h.received(anonymous)).isEmpty();
    }

    @Test
    void privateMessageToSomeoneWhoLeftIsUnknownUser() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.record(h.state.disconnect(bob, PresenceChange.DISCONNECTED, h.now));

        assertThat(h.ask(alice, h.privately("Bob", "hi"), Reply.Failed.class).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
    }

    @Test
    void privateMessageToASeedClientIsForbiddenAndDeliversNothing() {
        SessionId alice = h.pushUser("Alice");
        SessionId seed = h.seedUser("Sam");
        h.clear();

        Reply.Failed failed = h.ask(alice, h.privately("Sam", "you will never see this"), Reply.Failed.class);

        assertThat(failed.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(h.received(seed)).isEmpty();
        assertThat(h.events(alice)).isEmpty();
    }

    @Test
    void privateMessageTargetsAreMatchedWithoutRegardToCase() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.clear();
        Request.PostPrivate post = h.privately("bOB", "psst");

        Reply.SentPrivate sent = h.ask(alice, post, Reply.SentPrivate.class);

        assertThat(sent.to()).isEqualTo("Bob");
        assertThat(h.events(bob)).hasSize(1);
    }

    // ---------------------------------------------------------------- text size

    @Test
    void textAtTheByteLimitIsAcceptedAndOneByteMoreIsTooLong() {
        int max = h.config.limits().maxTextBytes();
        SessionId alice = h.pushUser("Alice");
        h.pushUser("Bob");
        String atLimit = "a".repeat(max - 4 * 10) + "😀".repeat(10);
        assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(max);

        assertThat(h.ask(alice, h.post(atLimit))).isInstanceOf(Reply.Posted.class);
        assertThat(h.ask(alice, h.post(atLimit + "a"), Reply.Failed.class).code()).isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
        assertThat(h.ask(alice, h.privately("Bob", atLimit))).isInstanceOf(Reply.SentPrivate.class);
        assertThat(h.ask(alice, h.privately("Bob", atLimit + "a"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
    }

    @Test
    void textLengthIsMeasuredInUtf8BytesNotCharacters() {
        Harness small = new Harness(Harness.config().withLimits(Limits.DEFAULTS.withMaxTextBytes(16)));
        SessionId alice = small.pushUser("Alice");
        small.clear();

        // 9 characters, 18 bytes.
        Reply.Failed failed = small.ask(alice, small.post("ééééééééé"), Reply.Failed.class);
        // 8 characters, 16 bytes.
        Reply.Posted posted = small.ask(alice, small.post("éééééééé"), Reply.Posted.class);
        // 4 emoji: 8 UTF-16 units, 16 bytes; 5 emoji: 20 bytes.
        Reply.Posted emoji = small.ask(alice, small.post("🎉🎉🎉🎉"), Reply.Posted.class);

        assertThat(failed.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
        assertThat(small.ask(alice, small.post("🎉🎉🎉🎉🎉"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
        assertThat(small.roomMessageIds(alice)).containsExactly(posted.messageId(), emoji.messageId());
    }

    @Test
    void aTooLongMessageIsNeitherStoredNorBroadcast() {
        int max = h.config.limits().maxTextBytes();
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.clear();

        h.ask(alice, h.post("x".repeat(max + 1)), Reply.Failed.class);

        assertThat(h.events(bob)).isEmpty();
        assertThat(h.ask(bob, h.latest(LOBBY, 10), Reply.History.class).messages()).isEmpty();
    }

    // ---------------------------------------------------------------- rate limit

    @Test
    void fivePostsPassTheSixthIsRateLimitedAndOneSecondLaterTwoMorePass() {
        Harness limited = new Harness(Harness.config().withRateLimit(new RateLimit(5, 2.0)));
        SessionId alice = limited.pushUser("Alice");
        SessionId bob = limited.pushUser("Bob");

        for (int i = 0; i < 5; i++) {
            assertThat(limited.ask(alice, limited.post("burst " + i))).as("post %d", i).isInstanceOf(Reply.Posted.class);
        }
        limited.clear();
        Reply.Failed sixth = limited.ask(alice, limited.post("one too many"), Reply.Failed.class);
        assertThat(sixth.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(limited.events(bob)).as("a refused post is not broadcast").isEmpty();
        assertThat(limited.ask(bob, limited.post("bob has his own allowance"))).isInstanceOf(Reply.Posted.class);

        limited.advance(Duration.ofSeconds(1));
        assertThat(limited.ask(alice, limited.post("refilled 1"))).isInstanceOf(Reply.Posted.class);
        assertThat(limited.ask(alice, limited.post("refilled 2"))).isInstanceOf(Reply.Posted.class);
        assertThat(limited.ask(alice, limited.post("refilled 3"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.RATE_LIMITED);
    }

    @Test
    void privateMessagesShareThePostingAllowance() {
        Harness limited = new Harness(Harness.config().withRateLimit(new RateLimit(2, 1.0)));
        SessionId alice = limited.pushUser("Alice");
        limited.pushUser("Bob");

        limited.ask(alice, limited.post("one"), Reply.Posted.class);
        limited.ask(alice, limited.privately("Bob", "two"), Reply.SentPrivate.class);

        assertThat(limited.ask(alice, limited.privately("Bob", "three"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(limited.ask(alice, limited.post("four"), Reply.Failed.class).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    }

    @Test
    void requestsOtherThanPostsAreNotRateLimited() {
        Harness limited = new Harness(Harness.config().withRateLimit(new RateLimit(1, 1.0)));
        SessionId alice = limited.pushUser("Alice");
        limited.ask(alice, limited.post("the only one"), Reply.Posted.class);

        for (int i = 0; i < 50; i++) {
            limited.ask(alice, limited.echo("e" + i), Reply.Echoed.class);
            limited.ask(alice, limited.latest(LOBBY, 1), Reply.History.class);
        }
    }

    @Test
    void unlimitedNeverLimits() {
        Harness unlimited = new Harness(Harness.config().withRateLimit(RateLimit.UNLIMITED));
        SessionId alice = unlimited.seedUser("Alice");

        for (int i = 0; i < 5_000; i++) {
            unlimited.ask(alice, unlimited.post("flood " + i), Reply.Posted.class);
        }
    }
}
