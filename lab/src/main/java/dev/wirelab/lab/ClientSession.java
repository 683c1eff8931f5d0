package dev.wirelab.lab;

import dev.wirelab.chat.ChatListener;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the client knows about its conversation, and how it hears the server: every reply and event
 * is printed as one line ({@link LineFormat}) in the order it arrived, then the command waiting for
 * that reply is released. Replies change the little state the command line needs: the current
 * room (a {@code /join} reply makes it current) and the user's name (for the prompt).
 *
 * <p>Threads: the {@code on...} methods run on the connection's reader thread, one at a time; the
 * command loop reads the state and calls {@link #pingSent} and {@link #quitting} from its own thread.
 * Fields shared between them are volatile or concurrent.
 */
final class ClientSession implements ChatListener {

    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());

    private final Output output;
    private final Pending pending = new Pending();
    private final Map<RequestId, Long> pingSentNanos = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable onClosed = () -> { };
    private volatile String room = Request.DEFAULT_ROOM;
    private volatile String name = "";
    private volatile boolean quitting;

    ClientSession(Output output) {
        this.output = output;
    }

    /** What to do when the connection ends (wake the command loop). */
    void onClosed(Runnable action) {
        this.onClosed = action;
    }

    Output output() {
        return output;
    }

    Pending pending() {
        return pending;
    }

    /** The room plain text goes to. */
    String room() {
        return room;
    }

    /** The name this user registered or logged in with; empty before. */
    String name() {
        return name;
    }

    /** Whether the connection has ended. */
    boolean isClosed() {
        return closed.get();
    }

    /** The user is leaving: the end of the connection is expected and not worth a line. */
    void quitting() {
        quitting = true;
    }

    /** A PING went out now; its PONG line will show the round trip. */
    void pingSent(RequestId id) {
        pingSentNanos.put(id, System.nanoTime());
    }

    @Override
    public void onReply(Reply reply) {
        try {
            String line = LineFormat.reply(reply);
            switch (reply) {
                case Reply.Joined joined -> room = joined.room();
                case Reply.Left left -> {
                    if (left.room().equalsIgnoreCase(room)) {
                        room = Request.DEFAULT_ROOM;
                    }
                }
                case Reply.Registered registered -> name = registered.name();
                case Reply.LoggedIn loggedIn -> name = loggedIn.name();
                case Reply.Pong pong -> {
                    Long sent = pingSentNanos.remove(pong.id());
                    if (sent != null) {
                        line += String.format(Locale.ROOT, " in %.3f ms", (System.nanoTime() - sent) / 1e6);
                    }
                }
                default -> {
                    // Nothing to remember.
                }
            }
            output.line(line);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "could not show a reply: " + reply, e);
        } finally {
            pending.complete(reply.id());
        }
    }

    @Override
    public void onEvent(Event event) {
        try {
            output.line(LineFormat.event(event));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "could not show an event: " + event, e);
        }
    }

    @Override
    public void onClosed(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!quitting) {
                output.line(LineFormat.disconnected(reason));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not show the end of the connection", e);
        } finally {
            pending.close();
            onClosed.run();
        }
    }
}
