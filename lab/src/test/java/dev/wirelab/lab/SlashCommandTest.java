package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.lab.SlashCommand.Echo;
import dev.wirelab.lab.SlashCommand.Help;
import dev.wirelab.lab.SlashCommand.History;
import dev.wirelab.lab.SlashCommand.Invalid;
import dev.wirelab.lab.SlashCommand.Join;
import dev.wirelab.lab.SlashCommand.Leave;
import dev.wirelab.lab.SlashCommand.Login;
import dev.wirelab.lab.SlashCommand.Msg;
import dev.wirelab.lab.SlashCommand.Nothing;
import dev.wirelab.lab.SlashCommand.Ping;
import dev.wirelab.lab.SlashCommand.Quit;
import dev.wirelab.lab.SlashCommand.Register;
import dev.wirelab.lab.SlashCommand.Rooms;
import dev.wirelab.lab.SlashCommand.Say;
import dev.wirelab.lab.SlashCommand.Stats;
import dev.wirelab.lab.SlashCommand.Time;
import dev.wirelab.lab.SlashCommand.Users;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class SlashCommandTest {

    private static SlashCommand parse(String line) {
        return SlashCommand.parse(line);
    }

    @Test
    void plainTextIsAPostToTheCurrentRoom() {
        assertThat(parse("hello there")).isEqualTo(new Say("hello there"));
        assertThat(parse("  padded  ")).isEqualTo(new Say("padded"));
        assertThat(parse("//not a command")).isEqualTo(new Say("/not a command"));
    }

    @Test
    void blankLinesDoNothing() {
        assertThat(parse("")).isEqualTo(new Nothing());
        assertThat(parse(" \t ")).isEqualTo(new Nothing());
    }

    @Test
    void parsesRegisterWithAndWithoutPassword() {
        assertThat(parse("/register alice")).isEqualTo(new Register("alice", Password.NONE));
        assertThat(parse("/register alice s3cret!!")).isEqualTo(new Register("alice", Password.of("s3cret!!")));
        assertThat(parse("/REGISTER alice")).isEqualTo(new Register("alice", Password.NONE));
    }

    @Test
    void parsesLogin() {
        assertThat(parse("/login bob hunter22")).isEqualTo(new Login("bob", Password.of("hunter22")));
    }

    @Test
    void parsesRoomCommands() {
        assertThat(parse("/join golang")).isEqualTo(new Join("golang"));
        assertThat(parse("/leave golang")).isEqualTo(new Leave("golang"));
        assertThat(parse("/leave")).isEqualTo(new Leave(""));
        assertThat(parse("/rooms")).isEqualTo(new Rooms());
    }

    @Test
    void parsesPrivateMessagesKeepingTheTextAsTyped() {
        assertThat(parse("/msg bob hi  there")).isEqualTo(new Msg("bob", "hi  there"));
    }

    @Test
    void parsesTheCommandsWithoutArguments() {
        assertThat(parse("/users")).isEqualTo(new Users());
        assertThat(parse("/time")).isEqualTo(new Time());
        assertThat(parse("/ping")).isEqualTo(new Ping());
        assertThat(parse("/stats")).isEqualTo(new Stats());
        assertThat(parse("/STATS")).isEqualTo(new Stats());
        assertThat(parse("/quit")).isEqualTo(new Quit());
        assertThat(parse("/exit")).isEqualTo(new Quit());
        assertThat(parse("/help")).isEqualTo(new Help());
    }

    @Test
    void parsesEcho() {
        assertThat(parse("/echo  Hello, Server! ")).isEqualTo(new Echo("Hello, Server!"));
    }

    @Test
    void parsesHistoryWithEveryOption() {
        assertThat(parse("/history")).isEqualTo(new History("", HistoryCursor.LATEST, 20));
        assertThat(parse("/history golang")).isEqualTo(new History("golang", HistoryCursor.LATEST, 20));
        assertThat(parse("/history @bob --before 9")).isEqualTo(new History("@bob", HistoryCursor.before(MessageId.of(9)), 20));
        assertThat(parse("/history --limit 5")).isEqualTo(new History("", HistoryCursor.LATEST, 5));
        assertThat(parse("/history lobby --before 40 --limit 10"))
                .isEqualTo(new History("lobby", HistoryCursor.before(MessageId.of(40)), 10));
        assertThat(parse("/history --after 7 lobby"))
                .isEqualTo(new History("lobby", HistoryCursor.after(MessageId.of(7)), 20));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/history --before 1 --after 2",
        "/history --before",
        "/history --before x",
        "/history --after 0",
        "/history --limit 0",
        "/history --limit",
        "/history --limit 1 --limit 2",
        "/history a b",
        "/history --newest",
        "/register",
        "/register a b c",
        "/login bob",
        "/join",
        "/join a b",
        "/leave a b",
        "/msg bob",
        "/msg",
        "/echo",
        "/echo   ",
        "/users now",
        "/rooms all",
        "/time now",
        "/ping 3",
        "/stats udp",
        "/quit now",
        "/frobnicate",
        "/",
    })
    void turnsBadLinesIntoErrorsInsteadOfThrowing(String line) {
        assertThat(parse(line)).isInstanceOf(Invalid.class);
    }

    @Test
    void namesTheUnknownCommandAndPointsToHelp() {
        assertThat(parse("/frobnicate now")).isEqualTo(new Invalid("unknown command /frobnicate (try /help)"));
        assertThat(parse("/join")).isEqualTo(new Invalid("usage: /join ROOM"));
    }

    @Test
    void helpListsEveryCommand() {
        String help = String.join("\n", SlashCommand.HELP);
        for (String command : new String[] {"/register", "/login", "/join", "/leave", "/msg", "/users", "/rooms",
            "/history", "/echo", "/time", "/ping", "/stats", "/quit", "/help"}) {
            assertThat(help).contains(command + " ");
        }
    }
}
