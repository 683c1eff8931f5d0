package dev.wirelab.lab;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * How the client shows every reply and event: exactly one line each, so a script can read the
 * client's output line by line. The first characters tell the kind of line:
 *
 * <pre>
 * ok ...                      a reply that succeeded        ok Registration successful. Welcome, alice!
 * error CODE message          a refused request             error NAME_TAKEN Name already taken: alice
 * [room] from: text           a room message                [lobby] alice: hello
 * (private) from -&gt; to: text  a private message             (private) alice -&gt; bob: hi
 * * user joined|left room     presence                      * bob left lobby (quit)
 * ! ...                       the connection is ending      ! closing SERVER_SHUTTING_DOWN Server is shutting down
 * </pre>
 *
 * A history page is one line too: a head, then each message after {@code " | "}, oldest first:
 * {@code ok history lobby: 2 messages, complete | #1 alice: hi | #2 bob: hello}.
 *
 * <p>Text from the network never breaks a line or drives the terminal: a backslash is written as
 * {@code \\}, and control characters (newline, carriage return, tab, escape, ...) and the Unicode line
 * and paragraph separators as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}.
 * Stateless; safe from any thread.
 */
final class LineFormat {


    private LineFormat() {
    }

    /** The line for one reply. */
    static String reply(Reply reply) {
        return switch (reply) {
            case Reply.Info info -> "ok " + clean(info.text()) + (info.data().isEmpty() ? "" : ": " + clean(info.data()));
            case Reply.Negotiated n -> "ok connected to " + (n.server().isEmpty() ? "an unnamed server" : clean(n.server()))
                    + " (protocol " + n.version() + "; " + capabilities(n.capabilities()) + ")";
            case Reply.Registered r -> "ok Registration successful. Welcome, " + clean(r.name()) + "!";
            case Reply.LoggedIn l -> "ok Login successful. Welcome back, " + clean(l.name()) + "!";
            case Reply.Posted p -> "ok posted #" + p.messageId();
            case Reply.SentPrivate s -> "ok sent #" + s.messageId() + " to " + clean(s.to());
            case Reply.Joined j -> "ok joined " + clean(j.room()) + ": " + names(j.members());
            case Reply.Left l -> "ok left " + clean(l.room());
            case Reply.Users u -> "ok " + count(u.names().size(), "user") + " online" + (u.names().isEmpty() ? "" : ": " + names(u.names()));
            case Reply.Rooms r -> "ok " + count(r.rooms().size(), "room") + (r.rooms().isEmpty() ? "" : ": " + rooms(r.rooms()));
            case Reply.History h -> history(h);
            case Reply.Echoed e -> "ok echo: " + clean(e.text());
            case Reply.ServerTime t -> "ok time " + t.rfc3339();
            case Reply.Pong p -> "ok pong " + clean(p.token());
            case Reply.Goodbye g -> "ok Goodbye!";
            case Reply.Failed f -> "error " + f.code() + " " + clean(f.message());
        };
    }

    /** The line for one event. */
    static String event(Event event) {
        return switch (event) {
            case Event.RoomMessage m -> "[" + clean(m.message().room()) + "] " + clean(m.message().from()) + ": "
                    + clean(m.message().text());
            case Event.PrivateMessage p -> "(private) " + clean(p.from()) + " -> " + clean(p.to()) + ": " + clean(p.text());
            case Event.Presence p -> "* " + clean(p.user()) + switch (p.change()) {
                case JOINED -> " joined " + clean(p.room());
                case LEFT -> " left " + clean(p.room());
                case QUIT -> " left " + clean(p.room()) + " (quit)";
                case DISCONNECTED -> " left " + clean(p.room()) + " (disconnected)";
            };
            case Event.Closing c -> "! closing " + c.reason() + " " + clean(c.text());
        };
    }

    /** A local mistake (a bad command line), in the shape of a refused request. */
    static String usageError(String message) {
        return "error USAGE " + clean(message);
    }

    /** The connection ended while the user still wanted it. */
    static String disconnected(String reason) {
        return "! connection closed: " + clean(reason);
    }

    private static String history(Reply.History h) {
        StringBuilder line = new StringBuilder("ok history ").append(clean(h.room())).append(": ")
                .append(count(h.messages().size(), "message")).append(h.complete() ? ", complete" : ", more");
        for (StoredMessage m : h.messages()) {
            line.append(" | #").append(m.id()).append(' ').append(clean(m.from())).append(": ").append(clean(m.text()));
        }
        return line.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String names(List<String> names) {
        StringJoiner joined = new StringJoiner(", ");
        names.forEach(name -> joined.add(clean(name)));
        return joined.toString();
    }

    private static String rooms(List<RoomInfo> rooms) {
        StringJoiner joined = new StringJoiner(", ");
        rooms.forEach(room -> joined.add(clean(room.name()) + " (" + room.members() + ")"));
        return joined.toString();
    }

    /** In the enum's order, since a set has none and the line must not change from run to run. */
    private static String capabilities(Collection<Capability> granted) {
        List<String> names = new ArrayList<>();
        for (Capability capability : Capability.values()) {
            if (granted.contains(capability)) {
                names.add(capability.name());
            }
        }
        return names.isEmpty() ? "no capabilities" : String.join(", ", names);
    }

    /** Text from the network made safe for one line of a terminal; see the class comment. */
    static String clean(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
