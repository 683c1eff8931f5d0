package dev.wirelab.lab;

import dev.wirelab.chat.ChatClient;
import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.ConnectionClosedException;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The client's command loop: reads a line, turns it into a request, sends it and waits for its
 * reply before reading on, until {@code /quit}, the end of input, or the end of the connection.
 *
 * <p>Every line is printed by the connection's reader thread ({@link ClientSession}), in the order
 * the server sent it; waiting for each reply here is what puts a command's reply before the next
 * command's, so a script's output is the same on every run. Runs on one thread, the caller's.
 */
final class ClientLoop {

    /** How long a command waits for its reply before the loop reads on (the reply is still shown if it comes). */
    static final Duration REPLY_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    /** Exit status after /quit or the end of input. */
    static final int EXIT_OK = 0;
    /** Exit status when the server ended the conversation (shutdown, error, too slow) or it broke. */
    static final int EXIT_DISCONNECTED = 1;

    private final ChatClient client;
    private final ClientSession session;
    private final Input input;
    private final Duration replyTimeout;
    private final String clientName;
    private final Supplier<ConnectionCounters> counters;

    /**
     * @param clientName how the client introduces itself in HELLO
     * @param counters   reads the connection's counters for {@code /stats}, each time it is typed
     */
    ClientLoop(ChatClient client, ClientSession session, Input input, Duration replyTimeout,
               String clientName, Supplier<ConnectionCounters> counters) {
        this.client = client;
        this.session = session;
        this.input = input;
        this.replyTimeout = replyTimeout;
        this.clientName = clientName;
        this.counters = counters;
    }

    /** Says HELLO, then runs commands; returns the exit status. ChatClient keeps the connection alive. */
    int run() throws InterruptedException {
        session.onClosed(input::wake);
        session.output().line(LineFormat.reply(client.welcome()));
        // A wirelab client asks for everything, so it hears rooms, private messages and presence.
        request(id -> new Request.Hello(id, clientName, EnumSet.allOf(Capability.class)));
        while (!session.isClosed()) {
            Input.Item item = input.next(prompt());
            switch (item) {
                case Input.Line line -> {
                    if (!execute(SlashCommand.parse(line.text()))) {
                        return EXIT_OK;
                    }
                }
                case Input.End end -> {
                    quit();
                    return EXIT_OK;
                }
                case Input.Woken woken -> {
                    // The loop condition looks at why.
                }
            }
        }
        return EXIT_DISCONNECTED;
    }

    private String prompt() {
        String name = session.name();
        // Both come from the server's replies: cleaned like every other line it sends.
        return LineFormat.clean((name.isEmpty() ? "" : name + "@") + session.room()) + "> ";
    }

    /** Carries out one command; false when it was {@code /quit}. */
    private boolean execute(SlashCommand command) throws InterruptedException {
        switch (command) {
            case SlashCommand.Nothing nothing -> {
            }
            case SlashCommand.Invalid invalid -> session.output().line(LineFormat.usageError(invalid.message()));
            case SlashCommand.Help help -> SlashCommand.HELP.forEach(session.output()::line);
            // Local, like /help: the counters are this end's, so the server has nothing to add.
            case SlashCommand.Stats stats -> session.output().line(LineFormat.stats(counters.get()));
            case SlashCommand.Quit quit -> {
                quit();
                return false;
            }
            case SlashCommand.Say say -> {
                String room = session.room();
                request(id -> new Request.Post(id, room, say.text()));
            }
            case SlashCommand.Register r -> request(id -> new Request.Register(id, r.name(), r.password()));
            case SlashCommand.Login l -> request(id -> new Request.Login(id, l.name(), l.password()));
            case SlashCommand.Join j -> request(id -> new Request.Join(id, j.room()));
            case SlashCommand.Leave l -> {
                String room = l.room().isEmpty() ? session.room() : l.room();
                request(id -> new Request.Leave(id, room));
            }
            case SlashCommand.Msg m -> request(id -> new Request.PostPrivate(id, m.to(), m.text()));
            case SlashCommand.Users u -> request(Request.ListUsers::new);
            case SlashCommand.Rooms r -> request(Request.ListRooms::new);
            case SlashCommand.History h -> {
                String room = h.room().isEmpty() ? session.room() : h.room();
                request(id -> new Request.ListMessages(id, room, h.cursor(), h.limit()));
            }
            case SlashCommand.Echo e -> request(id -> new Request.Echo(id, e.text()));
            case SlashCommand.Time t -> request(Request.Time::new);
            case SlashCommand.Ping p -> request(id -> {
                session.pingSent(id);
                return new Request.Ping(id, id.value());
            });
        }
        return true;
    }

    /** Says goodbye and waits for the server's answer, so nothing queued for this client is lost. */
    private void quit() throws InterruptedException {
        if (session.isClosed()) {
            return;
        }
        session.quitting();
        request(Request.Quit::new);
    }

    /**
     * Sends a request and waits for its reply to be printed. The id is registered before the
     * request is sent, since the reply may come back before {@code send} returns.
     */
    private void request(Function<RequestId, ? extends Request> build) throws InterruptedException {
        if (session.isClosed()) {
            return;
        }
        Pending pending = session.pending();
        AtomicReference<RequestId> expected = new AtomicReference<>();
        RequestId id;
        try {
            id = client.send(rid -> {
                pending.expect(rid);
                expected.set(rid);
                return build.apply(rid);
            });
        } catch (FrameTooLargeException e) {
            forget(expected);
            session.output().line("error " + ErrorCode.FRAME_TOO_LARGE + " " + LineFormat.clean(e.getMessage()));
            return;
        } catch (ConnectionClosedException e) {
            // The reader thread sees the end too and prints it.
            forget(expected);
            return;
        } catch (IOException e) {
            forget(expected);
            session.output().line("error IO_ERROR " + LineFormat.clean(String.valueOf(e.getMessage())));
            return;
        } catch (CodecException e) {
            // The codec cannot carry this request (too long for its limits, ...); nothing was sent.
            forget(expected);
            session.output().line("error " + e.code() + " " + LineFormat.clean(e.getMessage()));
            return;
        }
        if (!pending.await(id, replyTimeout) && !session.isClosed()) {
            session.output().line("error TIMEOUT no reply to " + id + " within " + replyTimeout.toMillis() + " ms");
        }
    }

    private void forget(AtomicReference<RequestId> expected) {
        RequestId id = expected.get();
        if (id != null) {
            session.pending().forget(id);
        }
    }
}
