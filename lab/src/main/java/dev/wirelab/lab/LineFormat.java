package dev.wirelab.lab;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import dev.wirelab.transport.TrafficStats;
import dev.wirelab.transport.udp.EngineConfig;
import dev.wirelab.transport.udp.EngineStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
 * {@code ok history lobby: 2 messages, complete | #1 alice: hi | #2 bob: hello}. So is the answer
 * to {@code /stats} ({@link #stats}).
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

    /**
     * The {@code /stats} line: the connection's counters since it opened, groups separated by
     * {@code "; "}, every figure a whole number of bytes ({@code B}), a count, or milliseconds with
     * three decimals. Every transport gives its frames and bytes (bytes as the transport counts them
     * on the wire, its headers included):
     *
     * <pre>
     * ok stats tcp: sent 5 frames / 312 B, received 6 frames / 498 B
     * </pre>
     *
     * UDP puts its reliability engine's counters around them ({@link EngineStats}):
     * smoothed RTT, its variation and the smallest sample; the congestion window ({@code B}, or
     * {@code packets} for the KCP profiles) and the bytes in flight; retransmits by cause (packet
     * threshold, time threshold, probe timeout), those that proved spurious, packets declared lost;
     * duplicates received; the total and longest head-of-line wait; engine bytes received per payload
     * byte delivered; sends refused for back-pressure:
     *
     * <pre>
     * ok stats udp: rtt 0.412 ms (var 0.103, min 0.301), cwnd 14720 B, in flight 0 B; sent 42 frames / 5234 B,
     *   received 40 frames / 5012 B; retransmits 3 (fast 2, time 0, pto 1), spurious 0, lost 2;
     *   duplicates 0 packets / 0 frames; head-of-line wait 12.300 ms total, 8.100 ms max;
     *   1.31 wire bytes per delivered byte; back-pressured sends 0
     * </pre>
     *
     * (one line, wrapped here). A count of one takes the singular ({@code sent 1 frame}), as
     * everywhere in these lines. Before the first RTT sample {@code min} reads {@code none}; before
     * anything was delivered the ratio reads {@code no byte delivered yet}.
     */
    static String stats(ConnectionCounters counters) {
        String traffic = traffic(counters.traffic());
        return switch (counters) {
            case ConnectionCounters.TrafficOnly t -> "ok stats " + clean(t.transport()) + ": " + traffic;
            case ConnectionCounters.Udp udp -> {
                EngineStats e = udp.engine();
                String cwndUnit = udp.congestion() == EngineConfig.Congestion.NEW_RENO ? " B" : " packets";
                double ratio = e.wireBytesPerDeliveredByte();
                yield "ok stats udp: rtt " + millis(e.srttNanos()) + " ms (var " + millis(e.rttvarNanos())
                        + ", min " + (e.minRttNanos() == 0 ? "none" : millis(e.minRttNanos())) + ")"
                        + ", cwnd " + e.congestionWindow() + cwndUnit + ", in flight " + e.bytesInFlight() + " B"
                        + "; " + traffic
                        + "; retransmits " + e.retransmits() + " (fast " + e.fastRetransmits()
                        + ", time " + e.timeThresholdRetransmits() + ", pto " + e.ptoRetransmits() + ")"
                        + ", spurious " + e.spuriousRetransmits() + ", lost " + e.packetsLost()
                        + "; duplicates " + count(e.duplicatePackets(), "packet") + " / " + count(e.duplicateFrames(), "frame")
                        + "; head-of-line wait " + millis(e.headOfLineWaitTotalNanos()) + " ms total, "
                        + millis(e.headOfLineWaitMaxNanos()) + " ms max"
                        + "; " + (Double.isNaN(ratio) ? "no byte delivered yet"
                                : String.format(Locale.ROOT, "%.2f wire bytes per delivered byte", ratio))
                        + "; back-pressured sends " + e.backPressured();
            }
        };
    }

    private static String traffic(TrafficStats traffic) {
        return "sent " + count(traffic.framesOut(), "frame") + " / " + traffic.bytesOut() + " B, received "
                + count(traffic.framesIn(), "frame") + " / " + traffic.bytesIn() + " B";
    }

    /** Nanoseconds as milliseconds with three decimals, a dot whatever the locale. */
    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
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

    private static String count(long n, String noun) {
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
