package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.RequestId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClientSessionTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ClientSession session = new ClientSession(lines::add);

    @Test
    void aJoinReplyMakesTheRoomCurrentAndLeavingItGoesBackToTheLobby() {
        assertThat(session.room()).isEqualTo("lobby");

        session.onReply(new Reply.Joined(RequestId.of("c1"), "golang", List.of("alice")));
        assertThat(session.room()).isEqualTo("golang");

        session.onReply(new Reply.Left(RequestId.of("c2"), "other"));
        assertThat(session.room()).isEqualTo("golang");

        session.onReply(new Reply.Left(RequestId.of("c3"), "GoLang"));
        assertThat(session.room()).isEqualTo("lobby");
        assertThat(lines).containsExactly("ok joined golang: alice", "ok left other", "ok left GoLang");
    }

    @Test
    void remembersTheNameForThePrompt() {
        session.onReply(new Reply.Registered(RequestId.of("c1"), "alice"));
        assertThat(session.name()).isEqualTo("alice");
    }

    @Test
    void showsTheRoundTripOfAPing() {
        session.pingSent(RequestId.of("c7"));
        session.onReply(new Reply.Pong(RequestId.of("c7"), "c7"));

        assertThat(lines).singleElement().asString().matches("ok pong c7 in \\d+\\.\\d{3} ms");
    }

    @Test
    void releasesTheCommandWaitingForAReplyOnlyAfterPrintingIt() throws Exception {
        RequestId id = RequestId.of("c4");
        session.pending().expect(id);
        session.onReply(new Reply.Echoed(id, "hi"));

        assertThat(session.pending().await(id, Duration.ZERO)).isTrue();
        assertThat(lines).containsExactly("ok echo: hi");
    }

    @Test
    void reportsTheEndOfTheConnectionOnceAndReleasesWaiters() throws Exception {
        RequestId id = RequestId.of("c5");
        session.pending().expect(id);
        List<String> woken = new CopyOnWriteArrayList<>();
        session.onClosed(() -> woken.add("woken"));

        session.onEvent(new Event.Closing(ErrorCode.SERVER_SHUTTING_DOWN, "Server is shutting down"));
        session.onClosed("peer closed the connection");
        session.onClosed("again");

        assertThat(session.isClosed()).isTrue();
        assertThat(session.pending().await(id, Duration.ofSeconds(5))).isFalse();
        assertThat(woken).hasSize(1);
        assertThat(lines).containsExactly("! closing SERVER_SHUTTING_DOWN Server is shutting down",
                "! connection closed: peer closed the connection");
    }

    @Test
    void saysNothingWhenTheConnectionEndsAfterQuit() {
        session.quitting();
        session.onClosed("peer closed the connection");

        assertThat(lines).isEmpty();
    }
}
