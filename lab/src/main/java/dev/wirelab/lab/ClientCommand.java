package dev.wirelab.lab;

import dev.wirelab.chat.ChatClient;
import dev.wirelab.protocol.Limits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wirelab client}: chats with a wirelab server. On a terminal it edits lines with JLine and
 * prints what arrives above the prompt; otherwise it reads one command per line from stdin and
 * prints every reply and event as exactly one line on stdout ({@link LineFormat}), for scripts.
 *
 * <p>Threads: the main thread runs the command loop ({@link ClientLoop}); the connection's reader
 * thread prints what arrives; in script mode a daemon thread reads stdin ({@link ScriptInput}).
 */
@Command(name = "client",
        header = "Chat with a server, from a terminal or from a script on stdin.",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelab.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Chat with a wirelab server. On a terminal: line editing, history, and messages shown above the prompt. "
                    + "Otherwise (a pipe, a file) it reads one command per line and prints every reply and event "
                    + "as one line, then exits 0 after /quit or the end of input (1 if the server ended the connection first)."},
        sortOptions = false,
        footerHeading = "%nCommands (plain text posts to the current room, 'lobby' until /join):%n",
        footer = {
            "  /register NAME [PASSWORD]   /login NAME PASSWORD",
            "  /join ROOM   /leave [ROOM]   /msg NAME TEXT   /users   /rooms",
            "  /history [ROOM|@NAME] [--before ID|--after ID] [--limit N]   (@NAME: your private messages with NAME)",
            "  /echo TEXT   /time   /ping   /stats   /help   /quit",
            "",
            "Output, one line per reply or event:",
            "  ok Registration successful. Welcome, alice!      a reply",
            "  error NAME_TAKEN Name already taken: alice       a refused request",
            "  error USAGE usage: /join ROOM                    a command line the client cannot use",
            "  [lobby] alice: hello                             a room message",
            "  (private) alice -> bob: hi                       a private message",
            "  * bob joined lobby                               presence",
            "  ok history lobby: 2 messages, complete | #1 alice: hi | #2 bob: hello",
            "  ! closing SERVER_SHUTTING_DOWN Server is shutting down",
            "  ok stats tcp: sent 5 frames / 312 B, received 6 frames / 498 B   /stats (udp adds rtt, cwnd, ...)",
            "Control characters in text are escaped (\\n, \\t, \\u001b) and a backslash doubled."})
final class ClientCommand implements Callable<Integer> {

    private static final System.Logger LOG = System.getLogger(ClientCommand.class.getName());

    @Mixin
    LinkOptions link;






    @Option(names = "--plain",
            description = "Read commands line by line and print one line per reply and event even on a terminal.")
    boolean plain;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST:PORT", defaultValue = "localhost:8080",
            converter = Converters.Address.class,
            description = "The server: HOST:PORT, HOST (port 8080) or [IPV6]:PORT. Default: ${DEFAULT-VALUE}.")
    HostPort server;

    private final Io io;

    ClientCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        InetSocketAddress address = server.resolve();
        if (address.isUnresolved()) {
            return fail("unknown host '" + server.host() + "'");
        }
        Limits limits = Limits.DEFAULTS;
        String what = link.label();
        String details = link.details();
        boolean terminal = io.terminal() && !plain;
        TerminalInput terminalInput = terminal ? TerminalInput.open() : null;
        Output output = terminalInput != null ? terminalInput.output() : Output.plain(io.out());
        ClientSession session = new ClientSession(output);
        ChatClient client;
        try {
            client = ChatClient.connect(link.transport(limits), link.codec(limits), address, session);
        } catch (IOException e) {
            if (terminalInput != null) {
                terminalInput.close();
            }
            // A server on the other codec answers with bytes this codec cannot read as a welcome.
            String hint = String.valueOf(e.getMessage()).contains("welcome")
                    ? " (is the server using --codec " + link.codec.label() + "?)" : "";
            return fail("cannot connect to " + server + " over " + what + ": " + e.getMessage() + hint);
        }
        // Read stdin only once connected, so a failed connection leaves a script's input unread.
        try (Input input = terminalInput != null ? terminalInput : ScriptInput.start(io.in()); client) {
            if (terminal) {
                output.line("Connected to " + server + " over " + what + details
                        + ". Type /help for commands, /quit to leave.");
            } else if (!details.isEmpty()) {
                // Script output is replies and events only; these details go to the log (stderr).
                LOG.log(System.Logger.Level.INFO, () -> "connected to " + server + " over " + what + details);
            }
            return new ClientLoop(client, session, input, ClientLoop.REPLY_TIMEOUT_DEFAULT,
                    "wirelab-client/" + Wirelab.version(),
                    () -> ConnectionCounters.of(client.connection(), link.transport.label(), link.profile)).run();
        }
    }

    private int fail(String message) {
        io.err().println("wirelab client: " + message);
        io.err().flush();
        return 1;
    }
}
