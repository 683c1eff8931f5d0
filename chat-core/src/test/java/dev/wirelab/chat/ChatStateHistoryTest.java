package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.StoredMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LIST_MESSAGES: the newest page, paging with BEFORE and AFTER through every message exactly once,
 * the page cap, and the cursors a room does not know (limits-and-bad-input §5, case 25), which must
 * be refused rather than answered with the newest page.
 */
@Timeout(10)
class ChatStateHistoryTest {

    private static final String LOBBY = Request.DEFAULT_ROOM;

    private final Harness h = new Harness(Harness.config().withRateLimit(RateLimit.UNLIMITED));

    /** Posts {@code count} messages to {@code room} and returns their ids, oldest first. */
    private static List<MessageId> postMany(Harness harness, SessionId from, String room, int count) {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(harness.ask(from, harness.postTo(room, room + " " + i), Reply.Posted.class).messageId());
        }
        return ids;
    }

    private static List<MessageId> ids(Reply.History page) {
        return page.messages().stream().map(StoredMessage::id).toList();
    }

    // ---------------------------------------------------------------- LATEST

    @Test
    void latestReturnsTheNewestMessagesOldestFirstAndSaysWhetherOlderOnesExist() {
        SessionId alice = h.seedUser("Alice");
        List<MessageId> posted = postMany(h, alice, LOBBY, 30);

        Reply.History ten = h.ask(alice, h.latest(LOBBY, 10), Reply.History.class);
        Reply.History twentyNine = h.ask(alice, h.latest(LOBBY, 29), Reply.History.class);
        Reply.History thirty = h.ask(alice, h.latest(LOBBY, 30), Reply.History.class);
        Reply.History more = h.ask(alice, h.latest(LOBBY, 31), Reply.History.class);

        assertThat(ids(ten)).isEqualTo(posted.subList(20, 30));
        assertThat(ten.complete()).isFalse();
        assertThat(ten.room()).isEqualTo(LOBBY);
        assertThat(ids(twentyNine)).isEqualTo(posted.subList(1, 30));
        assertThat(twentyNine.complete()).isFalse();
        assertThat(ids(thirty)).isEqualTo(posted);
        assertThat(thirty.complete()).isTrue();
        assertThat(ids(more)).isEqualTo(posted);
        assertThat(more.complete()).isTrue();
    }

    @Test
    void latestOfAnEmptyRoomIsAnEmptyCompletePage() {
        SessionId alice = h.seedUser("Alice");
        Request.ListMessages list = h.latest(LOBBY, 20);

        assertThat(h.ask(alice, list)).isEqualTo(new Reply.History(list.id(), LOBBY, List.of(), true));
    }

    @Test
    void aLimitAboveThePageMaximumIsCapped() {
        int pageMax = h.config.limits().historyPageMax();
        SessionId alice = h.seedUser("Alice");
        List<MessageId> posted = postMany(h, alice, LOBBY, 250);

        Reply.History latest = h.ask(alice, h.latest(LOBBY, 1_000_000_000), Reply.History.class);
        Reply.History after = h.ask(alice, h.after(LOBBY, posted.get(0), Integer.MAX_VALUE), Reply.History.class);
        Reply.History before = h.ask(alice, h.before(LOBBY, posted.get(249), 1_000), Reply.History.class);

        assertThat(pageMax).isEqualTo(100);
        assertThat(ids(latest)).isEqualTo(posted.subList(150, 250));
        assertThat(latest.complete()).isFalse();
        assertThat(ids(after)).isEqualTo(posted.subList(1, 101));
        assertThat(after.complete()).isFalse();
        assertThat(ids(before)).isEqualTo(posted.subList(149, 249));
        assertThat(before.complete()).isFalse();
    }

    @Test
    void aSmallerConfiguredPageMaximumIsHonoured() {
        Harness small = new Harness(Harness.config().withRateLimit(RateLimit.UNLIMITED)
                .withLimits(Limits.DEFAULTS.withHistory(1000, 5, 7)));
        SessionId alice = small.seedUser("Alice");
        List<MessageId> posted = postMany(small, alice, LOBBY, 20);

        assertThat(ids(small.ask(alice, small.latest(LOBBY, 100), Reply.History.class))).isEqualTo(posted.subList(13, 20));
    }

    @Test
    void aLimitBelowOneCannotBeExpressed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Request.ListMessages(RequestId.NONE, LOBBY, HistoryCursor.LATEST, 0));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Request.ListMessages(RequestId.NONE, LOBBY, HistoryCursor.LATEST, -1));
    }

    // ---------------------------------------------------------------- paging through 250 messages

    /** 250 messages in the den, interleaved with lobby posts so the den's ids have gaps. */
    private List<MessageId> denWithGaps(SessionId alice) {
        h.ask(alice, h.join("den"), Reply.Joined.class);
        Random random = new Random(11);
        List<MessageId> den = new ArrayList<>();
        while (den.size() < 250) {
            if (random.nextInt(3) == 0) {
                h.ask(alice, h.post("lobby noise"), Reply.Posted.class);
            }
            den.add(h.ask(alice, h.postTo("den", "den " + den.size()), Reply.Posted.class).messageId());
        }
        return den;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 33, 50, 100})
    void pagingBackwardsWithBeforeVisitsEveryMessageExactlyOnceInOrder(int limit) {
        SessionId alice = h.seedUser("Alice");
        List<MessageId> posted = denWithGaps(alice);

        Reply.History page = h.ask(alice, h.latest("den", limit), Reply.History.class);
        List<MessageId> collected = new ArrayList<>(ids(page));
        int pages = 1;
        while (!page.complete()) {
            assertThat(page.messages()).hasSize(limit);
            page = h.ask(alice, h.before("den", page.messages().get(0).id(), limit), Reply.History.class);
            collected.addAll(0, ids(page));
            pages++;
            assertThat(pages).as("paging must end").isLessThanOrEqualTo(251);
        }

        assertThat(collected).isEqualTo(posted);
        assertThat(new HashSet<>(collected)).hasSize(250);
        assertThat(pages).isEqualTo((250 + limit - 1) / limit);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 33, 83, 100})
    void pagingForwardsWithAfterVisitsEveryMessageExactlyOnceInOrder(int limit) {
        SessionId alice = h.seedUser("Alice");
        List<MessageId> posted = denWithGaps(alice);

        List<MessageId> collected = new ArrayList<>(List.of(posted.get(0)));
        Reply.History page = h.ask(alice, h.after("den", posted.get(0), limit), Reply.History.class);
        collected.addAll(ids(page));
        int pages = 1;
        while (!page.complete()) {
            assertThat(page.messages()).hasSize(limit);
            page = h.ask(alice, h.after("den", page.messages().get(limit - 1).id(), limit), Reply.History.class);
            collected.addAll(ids(page));
            pages++;
            assertThat(pages).as("paging must end").isLessThanOrEqualTo(251);
        }

        assertThat(collected).isEqualTo(posted);
        assertThat(new HashSet<>(collected)).hasSize(250);
        assertThat(pages).isEqualTo((249 + limit - 1) / limit);
    }

    @Test
    void beforeTheOldestAndAfterTheNewestAreEmptyCompletePages() {
        SessionId alice = h.seedUser("Alice");
        List<MessageId> posted = denWithGaps(alice);

        Reply.History beforeOldest = h.ask(alice, h.before("den", posted.get(0), 10), Reply.History.class);
        Reply.History afterNewest = h.ask(alice, h.after("den", posted.get(249), 10), Reply.History.class);

        assertThat(beforeOldest.messages()).isEmpty();
        assertThat(beforeOldest.complete()).isTrue();
        assertThat(afterNewest.messages()).isEmpty();
        assertThat(afterNewest.complete()).isTrue();
    }

    // ---------------------------------------------------------------- cursors the room does not know

    @Test
    void aFutureIdIsUnknownMessageIdNeverTheNewestPage() {
        SessionId alice = h.seedUser("Alice");
        List<MessageId> posted = postMany(h, alice, LOBBY, 30);
        MessageId future = posted.get(29).next();

        for (Request.ListMessages list : List.of(h.before(LOBBY, future, 10), h.after(LOBBY, future, 10),
                h.before(LOBBY, MessageId.of(Long.MAX_VALUE), 10))) {
            Reply.Failed failed = h.ask(alice, list, Reply.Failed.class);
            assertThat(failed.code()).as("%s", list.cursor()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
        }
    }

    @Test
    void anIdOfAnotherRoomPostedInBetweenIsUnknownMessageId() {
        SessionId alice = h.seedUser("Alice");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(alice, h.post("lobby first"), Reply.Posted.class);
        MessageId denId = h.ask(alice, h.postTo("den", "den"), Reply.Posted.class).messageId();
        h.ask(alice, h.post("lobby last"), Reply.Posted.class);

        assertThat(h.ask(alice, h.before(LOBBY, denId, 10), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
        assertThat(h.ask(alice, h.after(LOBBY, denId, 10), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
    }

    @Test
    void anIdOfAPrivateMessageIsUnknownMessageId() {
        SessionId alice = h.pushUser("Alice");
        h.pushUser("Bob");
        h.ask(alice, h.post("before"), Reply.Posted.class);
        MessageId privateId = h.ask(alice, h.privately("Bob", "secret"), Reply.SentPrivate.class).messageId();
        h.ask(alice, h.post("after"), Reply.Posted.class);

        assertThat(h.ask(alice, h.after(LOBBY, privateId, 10), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
    }

    @Test
    void anyIdInARoomWithoutMessagesIsUnknownMessageId() {
        SessionId alice = h.seedUser("Alice");
        MessageId lobbyId = h.ask(alice, h.post("lobby"), Reply.Posted.class).messageId();
        h.ask(alice, h.join("den"), Reply.Joined.class);

        assertThat(h.ask(alice, h.after("den", lobbyId, 10), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
        assertThat(h.ask(alice, h.before("den", lobbyId, 10), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
    }

    /**
     * The den has kept everything it ever had (nothing was evicted), so an id older than its first
     * message was never the den's: it is another room's id, and must be refused like one posted in
     * between, not read as "evicted" and answered with the den's oldest page.
     */
    @Test
    void anIdOfAnotherRoomOlderThanEveryMessageOfThisRoomIsUnknownMessageId() {
        SessionId alice = h.seedUser("Alice");
        MessageId lobbyId = h.ask(alice, h.post("lobby, before the den existed"), Reply.Posted.class).messageId();
        h.ask(alice, h.join("den"), Reply.Joined.class);
        postMany(h, alice, "den", 3);

        Reply after = h.ask(alice, h.after("den", lobbyId, 10));
        Reply before = h.ask(alice, h.before("den", lobbyId, 10));

        assertThat(after).isInstanceOfSatisfying(Reply.Failed.class,
                failed -> assertThat(failed.code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID));
        assertThat(before).isInstanceOfSatisfying(Reply.Failed.class,
                failed -> assertThat(failed.code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID));
    }

    // ---------------------------------------------------------------- evicted history

    @Test
    void anIdOlderThanWhatTheRoomKeepsGivesAnEmptyOrOldestPage() {
        Harness small = new Harness(Harness.config().withRateLimit(RateLimit.UNLIMITED)
                .withLimits(Limits.DEFAULTS.withHistory(10, 5, 5)));
        SessionId alice = small.seedUser("Alice");
        List<MessageId> posted = postMany(small, alice, LOBBY, 15);
        List<MessageId> kept = posted.subList(5, 15);
        MessageId evicted = posted.get(2);

        Reply.History latest = small.ask(alice, small.latest(LOBBY, 100), Reply.History.class);
        Reply.History beforeEvicted = small.ask(alice, small.before(LOBBY, evicted, 5), Reply.History.class);
        Reply.History afterEvicted = small.ask(alice, small.after(LOBBY, evicted, 5), Reply.History.class);
        Reply.History afterLastEvicted = small.ask(alice, small.after(LOBBY, posted.get(4), 5), Reply.History.class);
        Reply.History beforeOldestKept = small.ask(alice, small.before(LOBBY, kept.get(0), 5), Reply.History.class);
        Reply.History beforeSixth = small.ask(alice, small.before(LOBBY, kept.get(5), 5), Reply.History.class);

        assertThat(ids(latest)).isEqualTo(kept.subList(5, 10));
        assertThat(latest.complete()).isFalse();
        assertThat(beforeEvicted.messages()).isEmpty();
        assertThat(beforeEvicted.complete()).isTrue();
        assertThat(ids(afterEvicted)).isEqualTo(kept.subList(0, 5));
        assertThat(afterEvicted.complete()).as("five newer messages remain").isFalse();
        assertThat(ids(afterLastEvicted)).isEqualTo(kept.subList(0, 5));
        assertThat(beforeOldestKept.messages()).isEmpty();
        assertThat(beforeOldestKept.complete()).isTrue();
        assertThat(ids(beforeSixth)).isEqualTo(kept.subList(0, 5));
        assertThat(beforeSixth.complete()).isTrue();
    }

    // ---------------------------------------------------------------- who may read

    @Test
    void historyOfARoomOneIsNotInIsNotInRoom() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(alice, h.postTo("den", "members only"), Reply.Posted.class);
        SessionId anonymous = h.connect();

        assertThat(h.ask(bob, h.latest("den", 10), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
        assertThat(h.ask(anonymous, h.latest("den", 10), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
        h.ask(bob, h.join("den"), Reply.Joined.class);
        assertThat(h.ask(bob, h.latest("den", 10), Reply.History.class).messages()).hasSize(1);
        h.ask(bob, h.leave("den"), Reply.Left.class);
        assertThat(h.ask(bob, h.latest("den", 10), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
    }

    @Test
    void historyOfARoomThatDoesNotExistIsUnknownRoom() {
        SessionId alice = h.pushUser("Alice");

        assertThat(h.ask(alice, h.latest("nowhere", 10), Reply.Failed.class).code()).isEqualTo(ErrorCode.UNKNOWN_ROOM);
    }

    @Test
    void theLobbyIsReadableUnregisteredAndAfterLeavingIt() {
        SessionId alice = h.pushUser("Alice");
        MessageId id = h.ask(alice, h.post("public"), Reply.Posted.class).messageId();
        SessionId anonymous = h.connect();

        assertThat(ids(h.ask(anonymous, h.latest(LOBBY, 10), Reply.History.class))).containsExactly(id);
        assertThat(ids(h.ask(anonymous, h.before(LOBBY, id, 10), Reply.History.class))).isEmpty();
        h.ask(alice, h.leave(LOBBY), Reply.Left.class);
        assertThat(ids(h.ask(alice, h.latest("LOBBY", 10), Reply.History.class))).containsExactly(id);
    }
}
