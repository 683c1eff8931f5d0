package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code LIST_MESSAGES @name}: the asker's private conversation with {@code name}, kept per pair
 * (256 messages, {@value ChatState#MAX_PAIRS} pairs) and paged like a room's history. Only the two
 * parties can read it (limits-and-bad-input §1: history per user pair, and it must not leak).
 */
@Timeout(30)
class ChatStatePrivateHistoryTest {

    private final Harness h = new Harness(Harness.config().withRateLimit(RateLimit.UNLIMITED));

    /** Sends {@code count} private messages from {@code from} to {@code to}; their ids, oldest first. */
    private static List<MessageId> sendMany(Harness harness, SessionId from, String to, int count) {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(harness.ask(from, harness.privately(to, "dm " + i), Reply.SentPrivate.class).messageId());
        }
        return ids;
    }

    private static List<MessageId> ids(Reply.History page) {
        return page.messages().stream().map(StoredMessage::id).toList();
    }

    @Test
    void bothPartiesSeeTheSameConversationEachLabelledWithTheOther() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        MessageId first = h.ask(alice, h.privately("bob", "hi bob"), Reply.SentPrivate.class).messageId();
        MessageId second = h.ask(bob, h.privately("Alice", "hi alice"), Reply.SentPrivate.class).messageId();

        Request.ListMessages asAlice = h.latest("@bob", 20);
        Request.ListMessages asBob = h.latest("@Alice", 20);
        Reply aliceSees = h.ask(alice, asAlice);
        Reply bobSees = h.ask(bob, asBob);

        assertThat(aliceSees).isEqualTo(new Reply.History(asAlice.id(), "@bob", List.of(
                new StoredMessage(first, "@bob", "Alice", "hi bob", h.now),
                new StoredMessage(second, "@bob", "Bob", "hi alice", h.now)), true));
        assertThat(bobSees).isEqualTo(new Reply.History(asBob.id(), "@Alice", List.of(
                new StoredMessage(first, "@Alice", "Alice", "hi bob", h.now),
                new StoredMessage(second, "@Alice", "Bob", "hi alice", h.now)), true));
    }

    @Test
    void aNoteToOneselfIsKeptOnce() {
        SessionId alice = h.pushUser("Alice");
        MessageId id = h.ask(alice, h.privately("alice", "note to self"), Reply.SentPrivate.class).messageId();

        assertThat(ids(h.ask(alice, h.latest("@Alice", 20), Reply.History.class))).containsExactly(id);
    }

    @Test
    void idsComeFromTheSameSequenceAsRoomMessagesAndDoNotMixHistories() {
        SessionId alice = h.pushUser("Alice");
        h.pushUser("Bob");
        MessageId lobby1 = h.ask(alice, h.post("public 1"), Reply.Posted.class).messageId();
        MessageId dm = h.ask(alice, h.privately("Bob", "private"), Reply.SentPrivate.class).messageId();
        MessageId lobby2 = h.ask(alice, h.post("public 2"), Reply.Posted.class).messageId();

        assertThat(List.of(lobby1, dm, lobby2)).containsExactly(MessageId.of(1), MessageId.of(2), MessageId.of(3));
        assertThat(ids(h.ask(alice, h.latest("@Bob", 20), Reply.History.class))).containsExactly(dm);
        assertThat(ids(h.ask(alice, h.latest(Request.DEFAULT_ROOM, 20), Reply.History.class)))
                .containsExactly(lobby1, lobby2);
        assertThat(h.ask(alice, h.after("@Bob", lobby1, 20), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
        assertThat(h.ask(alice, h.before(Request.DEFAULT_ROOM, dm, 20), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 50})
    void pagingBackwardsAndForwardsVisitsEveryMessageOnceInOrder(int limit) {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        List<MessageId> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.addAll(sendMany(h, i % 3 == 0 ? bob : alice, i % 3 == 0 ? "Alice" : "Bob", 1));
            if (i % 5 == 0) {
                h.ask(alice, h.post("lobby gap"), Reply.Posted.class);
            }
        }

        Reply.History page = h.ask(alice, h.latest("@Bob", limit), Reply.History.class);
        List<MessageId> backwards = new ArrayList<>(ids(page));
        while (!page.complete()) {
            assertThat(page.messages()).hasSize(limit);
            page = h.ask(alice, h.before("@Bob", page.messages().get(0).id(), limit), Reply.History.class);
            backwards.addAll(0, ids(page));
        }
        List<MessageId> forwards = new ArrayList<>(List.of(sent.get(0)));
        page = h.ask(bob, h.after("@alice", sent.get(0), limit), Reply.History.class);
        forwards.addAll(ids(page));
        while (!page.complete()) {
            page = h.ask(bob, h.after("@alice", page.messages().get(page.messages().size() - 1).id(), limit),
                    Reply.History.class);
            forwards.addAll(ids(page));
        }

        assertThat(backwards).isEqualTo(sent);
        assertThat(forwards).isEqualTo(sent);
    }

    @Test
    void aPairKeeps256MessagesDroppingTheOldest() {
        SessionId alice = h.pushUser("Alice");
        h.pushUser("Bob");
        List<MessageId> sent = sendMany(h, alice, "Bob", 300);
        List<MessageId> kept = sent.subList(300 - ChatState.HISTORY_PER_PAIR, 300);

        List<MessageId> collected = new ArrayList<>();
        Reply.History page = h.ask(alice, h.latest("@Bob", 100), Reply.History.class);
        collected.addAll(ids(page));
        while (!page.complete()) {
            page = h.ask(alice, h.before("@Bob", page.messages().get(0).id(), 100), Reply.History.class);
            collected.addAll(0, ids(page));
        }
        Reply.History afterDropped = h.ask(alice, h.after("@Bob", sent.get(0), 5), Reply.History.class);
        Reply.History beforeDropped = h.ask(alice, h.before("@Bob", sent.get(0), 5), Reply.History.class);

        assertThat(ChatState.HISTORY_PER_PAIR).isEqualTo(256);
        assertThat(collected).isEqualTo(kept);
        assertThat(ids(afterDropped)).isEqualTo(kept.subList(0, 5));
        assertThat(beforeDropped.messages()).isEmpty();
        assertThat(beforeDropped.complete()).isTrue();
    }

    @Test
    void pastTheMostPairsThePairWhoseLatestMessageIsOldestIsForgotten() {
        List<SessionId> users = new ArrayList<>();
        for (int i = 0; i < 92; i++) {
            users.add(h.pushUser("u" + i));
        }
        SessionId u0 = users.get(0);
        MessageId early = h.ask(u0, h.privately("u1", "first pair"), Reply.SentPrivate.class).messageId();
        h.ask(u0, h.privately("u2", "second pair"), Reply.SentPrivate.class);
        MessageId late = h.ask(u0, h.privately("u1", "first pair again"), Reply.SentPrivate.class).messageId();
        int pairs = 2;
        for (int i = 1; i < users.size() && pairs < ChatState.MAX_PAIRS + 1; i++) {
            for (int j = i + 1; j < users.size() && pairs < ChatState.MAX_PAIRS + 1; j++) {
                h.ask(users.get(i), h.privately("u" + j, "filler"), Reply.SentPrivate.class);
                pairs++;
            }
        }

        assertThat(ChatState.MAX_PAIRS).isEqualTo(4096);
        assertThat(h.state.conversationCount()).isEqualTo(ChatState.MAX_PAIRS);
        assertThat(ids(h.ask(u0, h.latest("@u1", 20), Reply.History.class))).containsExactly(early, late);
        Reply.History forgotten = h.ask(u0, h.latest("@u2", 20), Reply.History.class);
        assertThat(forgotten.messages()).isEmpty();
        assertThat(forgotten.complete()).isTrue();
    }

    @Test
    void aThirdUserReadsOnlyTheirOwnConversationWithThatName() {
        SessionId alice = h.pushUser("Alice");
        h.pushUser("Bob");
        SessionId carol = h.pushUser("Carol");
        MessageId secret = h.ask(alice, h.privately("Bob", "secret"), Reply.SentPrivate.class).messageId();
        MessageId own = h.ask(carol, h.privately("Bob", "carol's own"), Reply.SentPrivate.class).messageId();

        assertThat(ids(h.ask(carol, h.latest("@Bob", 20), Reply.History.class))).containsExactly(own);
        assertThat(h.ask(carol, h.latest("@Alice", 20), Reply.History.class).messages()).isEmpty();
        assertThat(h.ask(carol, h.before("@Bob", own, 20), Reply.History.class).messages()).isEmpty();
        assertThat(h.ask(carol, h.after("@Bob", secret, 20), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
        assertThat(ids(h.ask(alice, h.latest("@Bob", 20), Reply.History.class))).containsExactly(secret);
    }

    @Test
    void aNameWithNoConversationIsAnEmptyCompletePageWhetherOrNotItExists() {
        SessionId alice = h.pushUser("Alice");
        h.pushUser("Bob");

        for (String name : List.of("@Bob", "@Nobody")) {
            Request.ListMessages list = h.latest(name, 20);
            assertThat(h.ask(alice, list)).isEqualTo(new Reply.History(list.id(), name, List.of(), true));
        }
    }

    @Test
    void anAtWithoutAValidNameIsInvalidParams() {
        SessionId alice = h.pushUser("Alice");

        for (String room : List.of("@", "@9bob", "@bob smith", "@@bob", "@" + "b".repeat(h.config.limits().maxNameLength() + 1))) {
            assertThat(h.ask(alice, h.latest(room, 20), Reply.Failed.class).code()).as(room)
                    .isEqualTo(ErrorCode.INVALID_PARAMS);
        }
    }

    @Test
    void askingBeforeRegisteringIsNotRegistered() {
        SessionId alice = h.pushUser("Alice");
        h.pushUser("Bob");
        h.ask(alice, h.privately("Bob", "secret"), Reply.SentPrivate.class);
        SessionId anonymous = h.connect();

        assertThat(h.ask(anonymous, h.latest("@Bob", 20), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_REGISTERED);
        assertThat(h.ask(anonymous, h.latest("@Alice", 20), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_REGISTERED);
    }

    @Test
    void aSeedClientsPrivateMessageIsKeptForBoth() {
        SessionId seed = h.seedUser("Sam");
        SessionId bob = h.pushUser("Bob");
        MessageId id = h.ask(seed, h.privately("Bob", "hi from seed"), Reply.SentPrivate.class).messageId();

        assertThat(ids(h.ask(bob, h.latest("@Sam", 20), Reply.History.class))).containsExactly(id);
        assertThat(ids(h.ask(seed, h.latest("@Bob", 20), Reply.History.class))).containsExactly(id);
    }

    @Test
    void aRefusedPrivateMessageIsNotKept() {
        SessionId alice = h.pushUser("Alice");
        h.seedUser("Sam");

        h.ask(alice, h.privately("Sam", "seed clients cannot receive this"), Reply.Failed.class);

        assertThat(h.ask(alice, h.latest("@Sam", 20), Reply.History.class).messages()).isEmpty();
    }

    /**
     * A name without a password is free again once its holder leaves: whoever REGISTERs it next is
     * someone else and must not read the previous holder's conversations. LOGIN to an account keeps them.
     */
    @Test
    void aNameTakenAfreshWithRegisterDoesNotInheritItsPreviousHoldersConversations() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.privately("Bob", "for the first Bob"), Reply.SentPrivate.class);
        h.ask(bob, h.quit(), Reply.Goodbye.class);

        SessionId newBob = h.pushUser("bob");

        assertThat(h.ask(newBob, h.latest("@Alice", 20), Reply.History.class).messages()).isEmpty();
        assertThat(h.ask(alice, h.latest("@Bob", 20), Reply.History.class).messages()).isEmpty();
    }

    @Test
    void anAccountKeepsItsConversationsAcrossLogins() {
        SessionId alice = h.connect();
        h.ask(alice, h.hello(Capability.PUSH), Reply.Negotiated.class);
        h.ask(alice, new Request.Register(h.nextId(), "Alice", Password.of("password1")), Reply.Registered.class);
        h.pushUser("Bob");
        MessageId id = h.ask(alice, h.privately("Bob", "kept"), Reply.SentPrivate.class).messageId();
        h.ask(alice, h.quit(), Reply.Goodbye.class);

        SessionId again = h.connect();
        h.ask(again, h.login("alice", "password1"), Reply.LoggedIn.class);

        assertThat(ids(h.ask(again, h.latest("@Bob", 20), Reply.History.class))).containsExactly(id);
    }
}
