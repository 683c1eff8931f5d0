package dev.wirelab.lab;

import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One line the client's user typed, parsed: a slash command, plain text to post, or a mistake to
 * report. Parsing is pure and never fails: a bad line becomes {@link Invalid}, which the client
 * prints as a local error line and then reads on. The same syntax serves the terminal and scripts.
 *
 * <p>Where a command may name a room and does not, an empty {@code room} means the current room,
 * which only the client knows.
 */
sealed interface SlashCommand {

    /** Messages in a history page when the command names no {@code --limit} (the seed's page). */
    int HISTORY_LIMIT_DEFAULT = 20;

    /** What {@code /help} prints, one command a line. */
    List<String> HELP = List.of(
            "/register NAME [PASSWORD]   take a name (with a password, keep it for /login)",
            "/login NAME PASSWORD        take a name registered with a password",
            "/join ROOM                  join a room and make it the current one",
            "/leave [ROOM]               leave a room (the current one by default)",
            "/msg NAME TEXT              send a private message",
            "/users                      who is online",
            "/rooms                      which rooms exist",
            "/history [ROOM|@NAME] [--before ID|--after ID] [--limit N]   a page of a room's messages (@NAME: yours with NAME)",
            "/echo TEXT                  the server says TEXT back",
            "/time                       the server's clock",
            "/ping                       round-trip time to the server",
            "/stats                      this connection's counters (UDP: RTT, window, retransmits, ...)",
            "/quit                       say goodbye and exit (end of input does the same)",
            "/help                       this list",
            "TEXT                        post to the current room (//TEXT posts /TEXT)");

    /** Plain text for the current room. */
    record Say(String text) implements SlashCommand {
        public Say {
            Objects.requireNonNull(text, "text");
        }
    }

    record Register(String name, Password password) implements SlashCommand {
        public Register {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
        }
    }

    record Login(String name, Password password) implements SlashCommand {
        public Login {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
        }
    }

    record Join(String room) implements SlashCommand {
        public Join {
            Objects.requireNonNull(room, "room");
        }
    }

    /** @param room the room to leave; empty for the current room */
    record Leave(String room) implements SlashCommand {
        public Leave {
            Objects.requireNonNull(room, "room");
        }
    }

    record Msg(String to, String text) implements SlashCommand {
        public Msg {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(text, "text");
        }
    }

    record Users() implements SlashCommand {
    }

    record Rooms() implements SlashCommand {
    }

    /** @param room the room to read, or {@code @NAME} for the private messages with NAME; empty for the current room */
    record History(String room, HistoryCursor cursor, int limit) implements SlashCommand {
        public History {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    record Echo(String text) implements SlashCommand {
        public Echo {
            Objects.requireNonNull(text, "text");
        }
    }

    record Time() implements SlashCommand {
    }

    record Ping() implements SlashCommand {
    }

    /** Show the connection's counters; the client answers it without asking the server. */
    record Stats() implements SlashCommand {
    }

    record Quit() implements SlashCommand {
    }

    record Help() implements SlashCommand {
    }

    /** A blank line: nothing to do. */
    record Nothing() implements SlashCommand {
    }

    /** A line that is not a command; {@code message} says why, for the user. */
    record Invalid(String message) implements SlashCommand {
        public Invalid {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Parses one line (without its line terminator). */
    static SlashCommand parse(String line) {
        String s = line.strip();
        if (s.isEmpty()) {
            return new Nothing();
        }
        if (!s.startsWith("/")) {
            return new Say(s);
        }
        if (s.startsWith("//")) {
            // IRC's escape: a line that must start with a slash.
            return new Say(s.substring(1));
        }
        String[] head = s.split("\\s+", 2);
        String name = head[0].substring(1).toLowerCase(Locale.ROOT);
        String rest = head.length > 1 ? head[1] : "";
        List<String> args = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
        return switch (name) {
            case "register" -> switch (args.size()) {
                case 1 -> new Register(args.get(0), Password.NONE);
                case 2 -> new Register(args.get(0), Password.of(args.get(1)));
                default -> usage("/register NAME [PASSWORD]");
            };
            case "login" -> args.size() == 2 ? new Login(args.get(0), Password.of(args.get(1))) : usage("/login NAME PASSWORD");
            case "join" -> args.size() == 1 ? new Join(args.get(0)) : usage("/join ROOM");
            case "leave", "part" -> switch (args.size()) {
                case 0 -> new Leave("");
                case 1 -> new Leave(args.get(0));
                default -> usage("/leave [ROOM]");
            };
            case "msg" -> {
                String[] parts = rest.split("\\s+", 2);
                yield parts.length == 2 && !parts[1].isBlank() ? new Msg(parts[0], parts[1].strip()) : usage("/msg NAME TEXT");
            }
            case "users", "who" -> args.isEmpty() ? new Users() : usage("/users");
            case "rooms" -> args.isEmpty() ? new Rooms() : usage("/rooms");
            case "history" -> history(args);
            case "echo" -> rest.isBlank() ? usage("/echo TEXT") : new Echo(rest.strip());
            case "time" -> args.isEmpty() ? new Time() : usage("/time");
            case "ping" -> args.isEmpty() ? new Ping() : usage("/ping");
            case "stats" -> args.isEmpty() ? new Stats() : usage("/stats");
            case "quit", "exit" -> args.isEmpty() ? new Quit() : usage("/quit");
            case "help", "?" -> new Help();
            default -> new Invalid("unknown command " + head[0] + " (try /help)");
        };
    }

    private static SlashCommand history(List<String> args) {
        String room = "";
        HistoryCursor cursor = HistoryCursor.LATEST;
        int limit = HISTORY_LIMIT_DEFAULT;
        boolean limitSeen = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--before", "--after" -> {
                    if (!(cursor instanceof HistoryCursor.Latest)) {
                        return new Invalid("/history takes one of --before and --after");
                    }
                    if (i + 1 >= args.size()) {
                        return new Invalid(arg + " needs a message id");
                    }
                    long id = number(args.get(++i));
                    if (id <= 0) {
                        return new Invalid("'" + args.get(i) + "' is not a message id");
                    }
                    cursor = arg.equals("--before") ? HistoryCursor.before(MessageId.of(id)) : HistoryCursor.after(MessageId.of(id));
                }
                case "--limit" -> {
                    if (limitSeen || i + 1 >= args.size()) {
                        return usage("/history [ROOM|@NAME] [--before ID|--after ID] [--limit N]");
                    }
                    long n = number(args.get(++i));
                    if (n <= 0 || n > Integer.MAX_VALUE) {
                        return new Invalid("'" + args.get(i) + "' is not a positive number of messages");
                    }
                    limit = (int) n;
                    limitSeen = true;
                }
                default -> {
                    if (arg.startsWith("-") || !room.isEmpty()) {
                        return usage("/history [ROOM|@NAME] [--before ID|--after ID] [--limit N]");
                    }
                    room = arg;
                }
            }
        }
        return new History(room, cursor, limit);
    }

    /** A decimal number, or -1 if the text is not one. */
    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Invalid usage(String syntax) {
        return new Invalid("usage: " + syntax);
    }
}
