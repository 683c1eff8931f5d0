package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class RequestTest {

    private static final RequestId ID = RequestId.of("r1");

    static Stream<Arguments> requestsMissingARequiredValue() {
        return Stream.of(
                arguments("Hello without id", call(() -> new Request.Hello(null, "cli", Set.of()))),
                arguments("Hello without client", call(() -> new Request.Hello(ID, null, Set.of()))),
                arguments("Hello without capabilities", call(() -> new Request.Hello(ID, "cli", null))),
                arguments("Register without id", call(() -> new Request.Register(null, "ana", Password.NONE))),
                arguments("Register without name", call(() -> new Request.Register(ID, null, Password.NONE))),
                arguments("Register without password", call(() -> new Request.Register(ID, "ana", null))),
                arguments("Login without password", call(() -> new Request.Login(ID, "ana", null))),
                arguments("Post without room", call(() -> new Request.Post(ID, null, "hi"))),
                arguments("Post without text", call(() -> new Request.Post(ID, "lobby", null))),
                arguments("PostPrivate without to", call(() -> new Request.PostPrivate(ID, null, "hi"))),
                arguments("Join without id", call(() -> new Request.Join(null, "lobby"))),
                arguments("Leave without room", call(() -> new Request.Leave(ID, null))),
                arguments("ListUsers without id", call(() -> new Request.ListUsers(null))),
                arguments("ListRooms without id", call(() -> new Request.ListRooms(null))),
                arguments("ListMessages without cursor", call(() -> new Request.ListMessages(ID, "lobby", null, 20))),
                arguments("Echo without text", call(() -> new Request.Echo(ID, null))),
                arguments("Time without id", call(() -> new Request.Time(null))),
                arguments("Ping without token", call(() -> new Request.Ping(ID, null))),
                arguments("Quit without id", call(() -> new Request.Quit(null))));
    }

    static Stream<Arguments> requestsWithAnEmptyRequiredString() {
        return Stream.of(
                arguments("Register with an empty name", call(() -> new Request.Register(ID, "", Password.NONE))),
                arguments("Login with an empty name", call(() -> new Request.Login(ID, "", Password.of("pw")))),
                arguments("Post to an empty room", call(() -> new Request.Post(ID, "", "hi"))),
                arguments("Post with empty text", call(() -> new Request.Post(ID, "lobby", ""))),
                arguments("PostPrivate to nobody", call(() -> new Request.PostPrivate(ID, "", "hi"))),
                arguments("PostPrivate with empty text", call(() -> new Request.PostPrivate(ID, "bo", ""))),
                arguments("Join an empty room", call(() -> new Request.Join(ID, ""))),
                arguments("Leave an empty room", call(() -> new Request.Leave(ID, ""))),
                arguments("ListMessages of an empty room", call(() -> new Request.ListMessages(ID, "", HistoryCursor.LATEST, 20))),
                arguments("Echo of empty text", call(() -> new Request.Echo(ID, ""))));
    }

    private static ThrowingCallable call(ThrowingCallable callable) {
        return callable;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsMissingARequiredValue")
    void refusesNulls(String description, ThrowingCallable construction) {
        assertThatNullPointerException().isThrownBy(construction);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsWithAnEmptyRequiredString")
    void refusesEmptyRequiredStrings(String description, ThrowingCallable construction) {
        assertThatIllegalArgumentException().isThrownBy(construction).withMessageContaining("must not be empty");
    }

    @Test
    void loginRefusesAMissingPassword() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Request.Login(ID, "ana", Password.NONE))
                .withMessageContaining("requires a password");
    }

    @Test
    void listMessagesRefusesANonPositiveLimit() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Request.ListMessages(ID, "lobby", HistoryCursor.LATEST, 0))
                .withMessageContaining("limit");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Request.ListMessages(ID, "lobby", HistoryCursor.LATEST, -20));
        assertThat(new Request.ListMessages(ID, "lobby", HistoryCursor.before(MessageId.of(9)), 1).limit()).isEqualTo(1);
    }

    @Test
    void helloKeepsItsOwnUnmodifiableCopyOfTheCapabilities() {
        Set<Capability> asked = EnumSet.of(Capability.PUSH);
        Request.Hello hello = new Request.Hello(ID, "cli", asked);

        asked.add(Capability.ROOMS);

        assertThat(hello.capabilities()).containsExactly(Capability.PUSH);
        assertThatThrownBy(() -> hello.capabilities().add(Capability.ROOMS))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void helloRefusesANullCapability() {
        Set<Capability> withNull = new HashSet<>();
        withNull.add(null);

        assertThatNullPointerException().isThrownBy(() -> new Request.Hello(ID, "cli", withNull));
    }

    @Test
    void aRequestWithoutAnIdCarriesNone() {
        Request request = new Request.Time(RequestId.NONE);

        assertThat(request.id()).isEqualTo(RequestId.NONE);
        assertThat(new Request.Ping(ID, "").token()).isEmpty();
        assertThat(Request.DEFAULT_ROOM).isEqualTo("lobby");
    }

    @Test
    void requestsAreEqualByValue() {
        assertThat(new Request.Post(ID, "lobby", "hi")).isEqualTo(new Request.Post(RequestId.of("r1"), "lobby", "hi"))
                .isNotEqualTo(new Request.Post(RequestId.of("r2"), "lobby", "hi"));
    }
}
