package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.StoredMessage;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may be called what (limits-and-bad-input §5, cases 17 and 18): ASCII names of 1-32
 * characters starting with a letter, unique without regard to case in any default locale, one
 * name per connection, and free again once its owner is gone.
 */
@Timeout(10)
class ChatStateNamesTest {

    private final Harness h = new Harness();

    @ParameterizedTest
    @ValueSource(strings = {"A", "Alice", "bob_the-builder", "x9", "Z-_-_", "abcdefghijklmnopqrstuvwxyzABCDEF"})
    void validNamesAreAccepted(String name) {
        SessionId session = h.connect();
        Request.Register register = h.register(name);

        assertThat(h.ask(session, register)).isEqualTo(new Reply.Registered(register.id(), name));
    }

    @Test
    void thirtyTwoCharactersAreAcceptedAndThirtyThreeRefused() {
        SessionId session = h.connect();

        assertThat(h.ask(session, h.register("a".repeat(33)), Reply.Failed.class).code()).isEqualTo(ErrorCode.INVALID_NAME);
        assertThat(h.ask(session, h.register("a".repeat(32)))).isInstanceOf(Reply.Registered.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1alice", "-alice", "_alice", "two words", " Alice", "Alice ", "star*", "#x", "a.b",
            "\u0410lice", "Al\u0456ce", "Zoë", "tab\there", "nul\u0000", "new\nline", "😀"})
    void invalidNamesAreRefusedAndLeaveTheSessionUnregistered(String name) {
        SessionId session = h.connect();
        Request.Register register = h.register(name);

        Reply.Failed failed = h.ask(session, register, Reply.Failed.class);

        assertThat(failed.id()).isEqualTo(register.id());
        assertThat(failed.code()).isEqualTo(ErrorCode.INVALID_NAME);
        assertThat(h.ask(session, h.listUsers(), Reply.Users.class).names()).isEmpty();
        assertThat(h.ask(session, h.post("still anonymous?"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.NOT_REGISTERED);
    }

    @Test
    void anEmptyNameCannotEvenBeExpressed() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Request.Register(RequestId.NONE, "", Password.NONE));
        assertThatIllegalArgumentException().isThrownBy(() -> new Request.Login(RequestId.NONE, "", Password.of("x")));
    }

    @Test
    void aCyrillicHomoglyphCannotImpersonateALatinName() {
        h.seedUser("Alice");
        SessionId mallory = h.connect();

        assertThat(h.ask(mallory, h.register("\u0410lice"), Reply.Failed.class).code()).isEqualTo(ErrorCode.INVALID_NAME);
    }

    @Test
    void namesDifferingOnlyInCaseAreTaken() {
        h.seedUser("Alice");
        SessionId second = h.connect();
        Request.Register lower = h.register("alice");

        Reply.Failed failed = h.ask(second, lower, Reply.Failed.class);

        assertThat(failed.code()).isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(h.ask(second, h.register("ALICE"), Reply.Failed.class).code()).isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(h.ask(second, h.listUsers(), Reply.Users.class).names()).containsExactly("Alice");
    }

    @Test
    void caseFoldingIgnoresATurkishDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.of("tr", "TR"));
        try {
            assertThat("TITLE".toLowerCase()).as("the JVM really folds the Turkish way now").isNotEqualTo("title");
            Harness turkish = new Harness();
            turkish.seedUser("TITLE");
            SessionId second = turkish.connect();

            assertThat(turkish.ask(second, turkish.register("title"), Reply.Failed.class).code())
                    .isEqualTo(ErrorCode.NAME_TAKEN);
            turkish.ask(second, turkish.register("Iris"), Reply.Registered.class);
            assertThat(turkish.ask(second, turkish.privately("title", "hi"), Reply.Failed.class).code())
                    .as("the private message target is found (a seed client, so FORBIDDEN), not UNKNOWN_USER")
                    .isEqualTo(ErrorCode.FORBIDDEN);
            SessionId third = turkish.connect();
            assertThat(turkish.ask(third, turkish.register("IRIS"), Reply.Failed.class).code())
                    .isEqualTo(ErrorCode.NAME_TAKEN);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void loginFoldsCaseIgnoringATurkishDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.of("tr", "TR"));
        try {
            Harness turkish = new Harness();
            SessionId owner = turkish.connect();
            turkish.ask(owner, turkish.register("Iris", "open sesame"), Reply.Registered.class);
            turkish.ask(owner, turkish.quit(), Reply.Goodbye.class);
            SessionId session = turkish.connect();

            assertThat(turkish.ask(session, turkish.login("IRIS", "open sesame"), Reply.LoggedIn.class).name())
                    .isEqualTo("Iris");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void registeringAgainIsAlreadyRegisteredAndTheOldNameKeepsWorking() {
        SessionId alice = h.seedUser("Alice");
        Request.Register again = h.register("Alicia");

        Reply.Failed failed = h.ask(alice, again, Reply.Failed.class);

        assertThat(failed.code()).isEqualTo(ErrorCode.ALREADY_REGISTERED);
        h.ask(alice, h.post("still Alice"), Reply.Posted.class);
        assertThat(h.ask(alice, h.latest(Request.DEFAULT_ROOM, 1), Reply.History.class).messages())
                .extracting(StoredMessage::from).containsExactly("Alice");
        assertThat(h.ask(alice, h.listUsers(), Reply.Users.class).names()).containsExactly("Alice");
        SessionId other = h.connect();
        assertThat(h.ask(other, h.register("Alicia"))).as("the failed new name was never taken")
                .isInstanceOf(Reply.Registered.class);
    }

    @Test
    void reRegisteringTheSameNameIsAlreadyRegisteredNotNameTaken() {
        SessionId alice = h.seedUser("Alice");

        assertThat(h.ask(alice, h.register("Alice"), Reply.Failed.class).code()).isEqualTo(ErrorCode.ALREADY_REGISTERED);
    }

    @Test
    void aFailedRegisterLeavesTheNameFreeForTheNextAttempt() {
        SessionId session = h.connect();
        h.ask(session, h.register("9lives"), Reply.Failed.class);

        assertThat(h.ask(session, h.register("Nine"))).isInstanceOf(Reply.Registered.class);
    }

    @Test
    void aNameIsFreeAgainAfterItsOwnerDisconnects() {
        SessionId alice = h.seedUser("Alice");
        h.record(h.state.disconnect(alice, PresenceChange.DISCONNECTED, h.now));
        SessionId next = h.connect();
        Request.Register register = h.register("alice");

        assertThat(h.ask(next, register)).isEqualTo(new Reply.Registered(register.id(), "alice"));
        assertThat(h.ask(next, h.listUsers(), Reply.Users.class).names()).containsExactly("alice");
    }

    @Test
    void aNameIsFreeAgainAfterItsOwnerQuits() {
        SessionId alice = h.seedUser("Alice");
        h.ask(alice, h.quit(), Reply.Goodbye.class);
        SessionId next = h.connect();

        assertThat(h.ask(next, h.register("Alice"))).isInstanceOf(Reply.Registered.class);
    }

    @Test
    void expiryLeavesARegisteredNameTaken() {
        SessionId alice = h.seedUser("Alice");
        h.advance(h.config.limits().registrationTimeout());
        h.record(h.state.expire(h.now));

        SessionId other = h.connect();
        assertThat(h.ask(other, h.register("Alice"), Reply.Failed.class).code())
                .as("a registered session is not expired, so its name stays taken").isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(h.ask(alice, h.echo("here"), Reply.Echoed.class).text()).isEqualTo("here");
    }
}
