package dev.wirelab.codec.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wirelab.codec.json.Wire.Command;
import dev.wirelab.codec.json.Wire.EventKind;
import dev.wirelab.codec.json.Wire.ReplyKind;
import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Message to frame. Every {@code switch} here names each record of the sealed hierarchy and has no
 * {@code default}, so a new message type does not compile until it has a wire form.
 *
 * <p>Output is compact (no whitespace), non-ASCII goes out as raw UTF-8, control characters are
 * escaped by Jackson, so a frame never holds a raw newline. Stateless and thread-safe.
 */
final class MessageEncoder {

    private final JsonFactory factory;
    private final Limits limits;
    private final ZoneId zone;

    MessageEncoder(JsonFactory factory, Limits limits, ZoneId zone) {
        this.factory = factory;
        this.limits = limits;
        this.zone = zone;
    }

    Frame encode(ChatMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            switch (message) {
                case Request request -> request(json, request);
                case Reply reply -> reply(json, reply);
                case Event event -> event(json, event);
            }
            json.writeEndObject();
        } catch (IOException e) {
            // Writing to memory does not fail; Jackson reports its own misuse as an IOException.
            throw new CodecException(ErrorCode.INTERNAL_ERROR,
                    "cannot encode " + message.getClass().getSimpleName() + ": " + e.getMessage(), RequestId.NONE, e);
        }
        return new Frame(out.toByteArray());
    }

    // ---------------------------------------------------------------------------------------------
    // Requests: command, data (only for commands that take it), id, then the extensions.

    private void request(JsonGenerator json, Request request) throws IOException {
        switch (request) {
            case Request.Hello hello -> {
                head(json, Command.HELLO, hello.client(), hello.id());
                capabilities(json, hello.capabilities());
            }
            case Request.Register register -> {
                head(json, Command.REGISTER, register.name(), register.id());
                if (register.password().isPresent()) {
                    text(json, Wire.PASSWORD, register.password().value());
                }
            }
            case Request.Login login -> {
                head(json, Command.LOGIN, login.name(), login.id());
                text(json, Wire.PASSWORD, login.password().value());
            }
            case Request.Post post -> {
                head(json, Command.MESSAGE, post.text(), post.id());
                if (!post.room().equals(Request.DEFAULT_ROOM)) {
                    text(json, Wire.ROOM, post.room());
                }
            }
            case Request.PostPrivate post -> {
                head(json, Command.MESSAGE, post.text(), post.id());
                text(json, Wire.TO, post.to());
            }
            case Request.Join join -> head(json, Command.JOIN, join.room(), join.id());
            case Request.Leave leave -> head(json, Command.LEAVE, leave.room(), leave.id());
            case Request.ListUsers list -> head(json, Command.LIST_USERS, null, list.id());
            case Request.ListRooms list -> head(json, Command.LIST_ROOMS, null, list.id());
            case Request.ListMessages list -> listMessages(json, list);
            case Request.Echo echo -> head(json, Command.ECHO, echo.text(), echo.id());
            case Request.Time time -> head(json, Command.TIME, null, time.id());
            case Request.Ping ping -> head(json, Command.PING, ping.token(), ping.id());
            case Request.Quit quit -> head(json, Command.QUIT, null, quit.id());
        }
    }

    /** The seed's request shape, {@code {"command":..,"data":..}}, then the id; null data is left out. */
    private static void head(JsonGenerator json, Command command, String data, RequestId id) throws IOException {
        json.writeStringField(Wire.COMMAND, command.name());
        if (data != null) {
            text(json, Wire.DATA, data);
        }
        id(json, id);
    }

    private void listMessages(JsonGenerator json, Request.ListMessages list) throws IOException {
        head(json, Command.LIST_MESSAGES, null, list.id());
        if (!list.room().equals(Request.DEFAULT_ROOM)) {
            text(json, Wire.ROOM, list.room());
        }
        switch (list.cursor()) {
            case HistoryCursor.Latest latest -> {
                // No field: the newest page, as the seed's LIST_MESSAGES.
            }
            case HistoryCursor.Before before -> json.writeNumberField(Wire.BEFORE, before.id().value());
            case HistoryCursor.After after -> json.writeNumberField(Wire.AFTER, after.id().value());
        }
        // A wirelab client (it sends ids) always says how many it wants, so the answer never depends
        // on the server's default; a seed-shaped request keeps the seed's bare form.
        if (list.id().isPresent() || list.limit() != limits.historyPageDefault()) {
            json.writeNumberField(Wire.LIMIT, list.limit());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Replies: the seed's three fields, then, only with an id, id, reply kind and typed fields.

    private void reply(JsonGenerator json, Reply reply) throws IOException {
        switch (reply) {
            case Reply.Info info -> {
                if (seed(json, true, info.text(), info.data(), info.id())) {
                    kind(json, ReplyKind.INFO);
                }
            }
            case Reply.Negotiated negotiated -> {
                String names = join(sorted(negotiated.capabilities()).stream().map(Capability::name).toList());
                if (seed(json, true, Wire.NEGOTIATED, names, negotiated.id())) {
                    kind(json, ReplyKind.NEGOTIATED);
                    json.writeNumberField(Wire.VERSION, negotiated.version());
                    capabilities(json, negotiated.capabilities());
                    text(json, Wire.SERVER, negotiated.server());
                }
            }
            case Reply.Registered registered -> {
                if (seed(json, true, Wire.REGISTERED_PREFIX + registered.name() + "!", "", registered.id())) {
                    kind(json, ReplyKind.REGISTERED);
                    text(json, Wire.NAME, registered.name());
                }
            }
            case Reply.LoggedIn loggedIn -> {
                if (seed(json, true, Wire.LOGGED_IN_PREFIX + loggedIn.name() + "!", "", loggedIn.id())) {
                    kind(json, ReplyKind.LOGGED_IN);
                    text(json, Wire.NAME, loggedIn.name());
                }
            }
            case Reply.Posted posted -> {
                if (seed(json, true, Wire.MESSAGE_BROADCASTED, "", posted.id())) {
                    kind(json, ReplyKind.POSTED);
                    json.writeNumberField(Wire.MSGID, posted.messageId().value());
                    instant(json, Wire.TIME, posted.at());
                }
            }
            case Reply.SentPrivate sent -> {
                if (seed(json, true, Wire.PRIVATE_SENT_PREFIX + sent.to(), "", sent.id())) {
                    kind(json, ReplyKind.SENT_PRIVATE);
                    json.writeNumberField(Wire.MSGID, sent.messageId().value());
                    text(json, Wire.TO, sent.to());
                    instant(json, Wire.TIME, sent.at());
                }
            }
            case Reply.Joined joined -> {
                if (seed(json, true, Wire.JOINED_PREFIX + joined.room(), join(joined.members()), joined.id())) {
                    kind(json, ReplyKind.JOINED);
                    text(json, Wire.ROOM, joined.room());
                    texts(json, Wire.MEMBERS, joined.members());
                }
            }
            case Reply.Left left -> {
                if (seed(json, true, Wire.LEFT_PREFIX + left.room(), "", left.id())) {
                    kind(json, ReplyKind.LEFT);
                    text(json, Wire.ROOM, left.room());
                }
            }
            case Reply.Users users -> {
                if (seed(json, true, Wire.ONLINE_USERS, join(users.names()), users.id())) {
                    kind(json, ReplyKind.USERS);
                    texts(json, Wire.USERS, users.names());
                }
            }
            case Reply.Rooms rooms -> rooms(json, rooms);
            case Reply.History history -> history(json, history);
            case Reply.Echoed echoed -> {
                if (seed(json, true, Wire.ECHO_RESPONSE, echoed.text(), echoed.id())) {
                    kind(json, ReplyKind.ECHOED);
                }
            }
            case Reply.ServerTime time -> {
                if (seed(json, true, Wire.SERVER_TIME, time.rfc3339(), time.id())) {
                    kind(json, ReplyKind.SERVER_TIME);
                }
            }
            case Reply.Pong pong -> {
                if (seed(json, true, Wire.PONG, pong.token(), pong.id())) {
                    kind(json, ReplyKind.PONG);
                }
            }
            case Reply.Goodbye goodbye -> {
                if (seed(json, true, Wire.GOODBYE, "", goodbye.id())) {
                    kind(json, ReplyKind.GOODBYE);
                }
            }
            case Reply.Failed failed -> {
                if (seed(json, false, failed.message(), "", failed.id())) {
                    kind(json, ReplyKind.FAILED);
                    json.writeStringField(Wire.CODE, failed.code().name());
                }
            }
        }
    }

    /**
     * Writes {@code success}, {@code message} and {@code data}, then the id if there is one.
     *
     * @return whether the extended fields follow; without an id the reply is the seed's exact bytes
     */
    private static boolean seed(JsonGenerator json, boolean success, String message, String data, RequestId id)
            throws IOException {
        json.writeBooleanField(Wire.SUCCESS, success);
        text(json, Wire.MESSAGE, message);
        text(json, Wire.DATA, data);
        id(json, id);
        return id.isPresent();
    }

    private static void kind(JsonGenerator json, ReplyKind kind) throws IOException {
        json.writeStringField(Wire.REPLY, kind.wireName());
    }

    private static void rooms(JsonGenerator json, Reply.Rooms rooms) throws IOException {
        String data = join(rooms.rooms().stream().map(room -> room.name() + " (" + room.members() + ")").toList());
        if (seed(json, true, Wire.ROOMS_TEXT, data, rooms.id())) {
            kind(json, ReplyKind.ROOMS);
            json.writeArrayFieldStart(Wire.ROOMS);
            for (RoomInfo room : rooms.rooms()) {
                json.writeStartObject();
                text(json, Wire.NAME, room.name());
                json.writeNumberField(Wire.MEMBERS, room.members());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
    }

    private void history(JsonGenerator json, Reply.History history) throws IOException {
        String message = history.messages().isEmpty() ? Wire.NO_MESSAGES_YET : Wire.RECENT_MESSAGES;
        // The seed's human-readable form: one "[HH:mm:ss] from: text" line per message, in this codec's zone.
        String data = history.messages().stream()
                .map(m -> "[" + Wire.HISTORY_LINE_TIME.format(m.at().atZone(zone)) + "] " + m.from() + ": " + m.text())
                .collect(Collectors.joining("\n"));
        if (seed(json, true, message, data, history.id())) {
            kind(json, ReplyKind.HISTORY);
            text(json, Wire.ROOM, history.room());
            json.writeArrayFieldStart(Wire.MESSAGES);
            for (StoredMessage stored : history.messages()) {
                json.writeStartObject();
                storedMessage(json, stored);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeBooleanField(Wire.COMPLETE, history.complete());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Events: the kind first, then its fields.

    private static void event(JsonGenerator json, Event event) throws IOException {
        switch (event) {
            case Event.RoomMessage message -> {
                json.writeStringField(Wire.EVENT, EventKind.MESSAGE.wireName());
                storedMessage(json, message.message());
            }
            case Event.PrivateMessage message -> {
                json.writeStringField(Wire.EVENT, EventKind.PRIVATE.wireName());
                json.writeNumberField(Wire.MSGID, message.id().value());
                text(json, Wire.FROM, message.from());
                text(json, Wire.TO, message.to());
                text(json, Wire.TEXT, message.text());
                instant(json, Wire.TIME, message.at());
            }
            case Event.Presence presence -> {
                json.writeStringField(Wire.EVENT, EventKind.PRESENCE.wireName());
                text(json, Wire.ROOM, presence.room());
                text(json, Wire.USER, presence.user());
                json.writeStringField(Wire.CHANGE, presence.change().name().toLowerCase(Locale.ROOT));
                instant(json, Wire.TIME, presence.at());
            }
            case Event.Closing closing -> {
                json.writeStringField(Wire.EVENT, EventKind.CLOSING.wireName());
                json.writeStringField(Wire.CODE, closing.reason().name());
                text(json, Wire.TEXT, closing.text());
            }
        }
    }

    private static void storedMessage(JsonGenerator json, StoredMessage message) throws IOException {
        json.writeNumberField(Wire.MSGID, message.id().value());
        text(json, Wire.ROOM, message.room());
        text(json, Wire.FROM, message.from());
        text(json, Wire.TEXT, message.text());
        instant(json, Wire.TIME, message.at());
    }

    // ---------------------------------------------------------------------------------------------
    // Values

    private static void id(JsonGenerator json, RequestId id) throws IOException {
        if (id.isPresent()) {
            json.writeStringField(Wire.ID, id.value());
        }
    }

    /**
     * Writes a string field. A string with an unpaired surrogate has no UTF-8 form; Jackson would
     * write it as an escaped lone surrogate that the decoder (rightly) refuses, so it is refused here.
     */
    private static void text(JsonGenerator json, String name, String value) throws IOException {
        if (!Wire.isWellFormedUtf16(value)) {
            throw new CodecException(ErrorCode.INVALID_UTF8,
                    "cannot encode field " + name + ": it holds an unpaired surrogate");
        }
        json.writeStringField(name, value);
    }

    private static void texts(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            if (!Wire.isWellFormedUtf16(value)) {
                throw new CodecException(ErrorCode.INVALID_UTF8,
                        "cannot encode field " + name + ": it holds an unpaired surrogate");
            }
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** Capabilities in declaration order, so equal sets always encode to equal bytes. */
    private static void capabilities(JsonGenerator json, Set<Capability> capabilities) throws IOException {
        texts(json, Wire.CAPABILITIES, sorted(capabilities).stream().map(Capability::name).toList());
    }

    private static List<Capability> sorted(Set<Capability> capabilities) {
        return capabilities.stream().sorted().toList();
    }

    /** An instant at full precision, ISO-8601 in UTC: {@code 2026-11-29T14:15:29.123456789Z}. */
    private static void instant(JsonGenerator json, String name, Instant at) throws IOException {
        json.writeStringField(name, at.toString());
    }

    private static String join(Collection<String> items) {
        return String.join(Wire.LIST_SEPARATOR, items);
    }
}
