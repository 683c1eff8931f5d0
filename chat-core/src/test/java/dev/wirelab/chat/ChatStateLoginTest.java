package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-name LOGIN throttle (the reference's "3 failed logins per minute per account"), driven
 * by the pure state machine with explicit instants: a guesser who reconnects after each closed
 * connection still gets three guesses a minute per name, known or not.
 */
@Timeout(10)
class ChatStateLoginTest {

    private static final String PASSWORD = "correct horse";

    private final Harness h = new Harness();

    private void registerAlice() {
        SessionId owner = h.connect();
        h.ask(owner, h.register("Alice", PASSWORD), Reply.Registered.class);
        h.ask(owner, h.quit(), Reply.Goodbye.class);
    }

    /** One wrong guess from a connection of its own, as a guesser who reconnects makes it. */
    private void failOnceFromANewConnection(String name) {
        assertThat(h.ask(h.connect(), h.login(name, "wrong guess"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.AUTH_FAILED);
    }

    @Test
    void threeFailuresFromThreeConnectionsRefuseEvenTheRightPasswordWithTryAgain() {
        registerAlice();
        failOnceFromANewConnection("Alice");
        h.advance(Duration.ofSeconds(10));
        failOnceFromANewConnection("alice");
        h.advance(Duration.ofSeconds(8));
        failOnceFromANewConnection("ALICE");
        SessionId fourth = h.connect();
        Request.Login right = h.login("alice", PASSWORD);
        h.clear();

        Reply refused = h.ask(fourth, right);

        assertThat(refused).isEqualTo(new Reply.Failed(right.id(), ErrorCode.TRY_AGAIN,
                "Too many failed logins for alice; try again in 42 s"));
        assertThat(h.closes()).as("a refusal is not a failure: the connection stays").isEmpty();
        assertThat(h.state.refusesLoginsFor("Alice", h.now)).isTrue();
    }

    @Test
    void theNameMayTryAgainOnceItsOldestFailureIsSixtySecondsOld() {
        registerAlice();
        failOnceFromANewConnection("Alice");
        h.advance(Duration.ofSeconds(1));
        failOnceFromANewConnection("Alice");
        failOnceFromANewConnection("Alice");
        SessionId session = h.connect();

        h.advance(Duration.ofSeconds(59).minusNanos(1));
        Reply.Failed stillRefused = h.ask(session, h.login("Alice", PASSWORD), Reply.Failed.class);
        h.advance(Duration.ofNanos(1));
        Reply reply = h.ask(session, h.login("Alice", PASSWORD));

        assertThat(stillRefused.code()).isEqualTo(ErrorCode.TRY_AGAIN);
        assertThat(stillRefused.message()).endsWith("try again in 1 s");
        assertThat(reply).isInstanceOfSatisfying(Reply.LoggedIn.class, in -> assertThat(in.name()).isEqualTo("Alice"));
    }

    @Test
    void aSuccessfulLoginClearsTheNamesFailures() {
        registerAlice();
        failOnceFromANewConnection("Alice");
        failOnceFromANewConnection("Alice");
        SessionId session = h.connect();
        h.ask(session, h.login("Alice", PASSWORD), Reply.LoggedIn.class);
        h.ask(session, h.quit(), Reply.Goodbye.class);

        failOnceFromANewConnection("Alice");
        failOnceFromANewConnection("Alice");

        assertThat(h.state.refusesLoginsFor("Alice", h.now)).as("two failures since the success, not four").isFalse();
        assertThat(h.ask(h.connect(), h.login("Alice", PASSWORD), Reply.LoggedIn.class).name()).isEqualTo("Alice");
    }

    @Test
    void unknownNamesAreThrottledAlikeSoTheThrottleRevealsNoAccount() {
        registerAlice();
        for (String name : new String[] {"Alice", "Nobody"}) {
            failOnceFromANewConnection(name);
            failOnceFromANewConnection(name);
            failOnceFromANewConnection(name);
        }
        Request.Login known = h.login("Alice", "another guess");
        Request.Login unknown = h.login("Nobody", "another guess");

        Reply.Failed knownRefused = h.ask(h.connect(), known, Reply.Failed.class);
        Reply.Failed unknownRefused = h.ask(h.connect(), unknown, Reply.Failed.class);

        assertThat(knownRefused).isEqualTo(new Reply.Failed(known.id(), ErrorCode.TRY_AGAIN,
                "Too many failed logins for Alice; try again in 60 s"));
        assertThat(unknownRefused).isEqualTo(new Reply.Failed(unknown.id(), ErrorCode.TRY_AGAIN,
                "Too many failed logins for Nobody; try again in 60 s"));
    }

    @Test
    void aThrottledLoginIsRefusedWhateverTheShellSaysOfThePassword() {
        registerAlice();
        failOnceFromANewConnection("Alice");
        failOnceFromANewConnection("Alice");
        failOnceFromANewConnection("Alice");
        SessionId session = h.connect();

        Reply reply = h.ask(session, h.login("Alice", PASSWORD));
        List<Outbound> effects = h.state.login(session, h.login("Alice", PASSWORD), true, h.now);

        assertThat(reply).isInstanceOfSatisfying(Reply.Failed.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.TRY_AGAIN));
        assertThat(effects).singleElement().isInstanceOfSatisfying(Outbound.Send.class, send -> assertThat(send.message())
                .isInstanceOfSatisfying(Reply.Failed.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.TRY_AGAIN)));
    }

    @Test
    void theOneConnectionLimitStillClosesAfterThreeFailuresOfDifferentNames() {
        SessionId session = h.connect();
        h.ask(session, h.login("Ann", "guess"), Reply.Failed.class);
        h.ask(session, h.login("Ben", "guess"), Reply.Failed.class);
        Request.Login third = h.login("Cid", "guess");

        assertThat(h.apply(session, third)).containsExactly(
                new Outbound.Send(session, new Reply.Failed(third.id(), ErrorCode.AUTH_FAILED, "Wrong name or password")),
                new Outbound.Close(session, ErrorCode.AUTH_FAILED, "Too many failed logins"));
        assertThat(h.state.refusesLoginsFor("Ann", h.now)).isFalse();
    }

    /**
     * Past {@link FailedLogins#MAX_NAMES_DEFAULT} names the one whose latest failure is oldest is
     * forgotten (its guesser gets those guesses back), so a name spray cannot grow the map.
     */
    @Test
    void remembersAtMostMaxNamesForgettingTheOldestFirst() {
        for (int i = 0; i < 3; i++) {
            h.state.login(h.connect(), h.login("Target", "guess"), false, h.now);
        }
        assertThat(h.state.refusesLoginsFor("Target", h.now)).isTrue();
        h.advance(Duration.ofSeconds(1));

        for (int i = 0; i < FailedLogins.MAX_NAMES_DEFAULT; i++) {
            h.state.login(h.connect(), h.login("spray" + i, "guess"), false, h.now);
        }

        assertThat(h.state.namesWithFailedLogins()).isEqualTo(FailedLogins.MAX_NAMES_DEFAULT);
        assertThat(h.state.refusesLoginsFor("Target", h.now)).as("the oldest name was forgotten").isFalse();
        assertThat(h.state.refusesLoginsFor("spray0", h.now)).isFalse();
    }

    @Test
    void namesWhoseWindowHasPassedAreForgottenAtTheNextFailure() {
        failOnceFromANewConnection("Ann");
        failOnceFromANewConnection("Ben");
        h.advance(FailedLogins.WINDOW_DEFAULT);

        failOnceFromANewConnection("Cid");

        assertThat(h.state.namesWithFailedLogins()).isEqualTo(1);
    }

    @Test
    void invalidNamesAreNotRememberedSoTheKeysStayShort() {
        String tooLong = "a".repeat(h.config.limits().maxNameLength() + 1);

        failOnceFromANewConnection(tooLong);
        failOnceFromANewConnection("not a name");

        assertThat(h.state.namesWithFailedLogins()).isZero();
    }
}
