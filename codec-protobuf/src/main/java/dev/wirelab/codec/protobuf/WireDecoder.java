package dev.wirelab.codec.protobuf;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.wirelab.codec.protobuf.wire.Closing;
import dev.wirelab.codec.protobuf.wire.Envelope;
import dev.wirelab.codec.protobuf.wire.ListMessages;
import dev.wirelab.codec.protobuf.wire.Presence;
import dev.wirelab.codec.protobuf.wire.Timestamp;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Envelopes to records, checking what proto3 cannot express: required text, the text limit, enum
 * values, positive ids. Every failure is a {@link CodecException}; it carries the request id
 * whenever the envelope's {@code request_id} could be read, so the server can answer the request
 * it belongs to. Immutable and thread-safe.
 */
final class WireDecoder {

    /** Protobuf-java's text for a string field that is not UTF-8; there is no subclass to catch. */
    private static final String INVALID_UTF8_MARKER = "invalid UTF-8";
    private static final int NANOS_PER_MILLI = 1_000_000;

    private final Limits limits;

    WireDecoder(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    ChatMessage decode(byte[] bytes) {
        if (bytes.length > limits.maxFrameBytes()) {
            // Framing bounds stream frames already; this guards frames from anywhere else.
            throw new CodecException(ErrorCode.FRAME_TOO_LARGE,
                    "Frame too large: " + bytes.length + " bytes, at most " + limits.maxFrameBytes());
        }
        Envelope envelope;
        try {
            // parseFrom(byte[]) on a frame already bounded by the framing; never parseDelimitedFrom,
            // which reads whatever length the peer declares.
            envelope = Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw unparsable(e);
        }
        RequestId id = requestId(envelope.getRequestId());
        try {
            return body(envelope, id);
        } catch (CodecException e) {
            throw e;
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            // A record's compact constructor, MessageId, ZoneOffset or Instant refused a value, or a
            // required sub-message (a Timestamp) was missing.
            throw new CodecException(ErrorCode.INVALID_PARAMS, "Validation error: " + e.getMessage(), id, e);
        } catch (RuntimeException e) {
            // Decoding promises CodecException and nothing else; anything here is a bug to report
            // with its cause, not a reason to take the reading thread down.
            throw new CodecException(ErrorCode.INVALID_MESSAGE, "Invalid message format: unreadable envelope", id, e);
        }
    }

    private static CodecException unparsable(InvalidProtocolBufferException e) {
        // The parser fills in what it read before failing; the encoder writes request_id first.
        RequestId id = e.getUnfinishedMessage() instanceof Envelope partial
                ? requestIdOrNone(partial.getRequestId()) : RequestId.NONE;
        String detail = String.valueOf(e.getMessage());
        if (detail.contains(INVALID_UTF8_MARKER)) {
            return new CodecException(ErrorCode.INVALID_UTF8,
                    "Invalid UTF-8: a text field holds a malformed byte sequence", id, e);
        }
        return new CodecException(ErrorCode.INVALID_MESSAGE,
                "Invalid message format: not a protobuf envelope (" + detail + ")", id, e);
    }

    private static RequestId requestId(String value) {
        try {
            return RequestId.of(value);
        } catch (IllegalArgumentException e) {
            throw new CodecException(ErrorCode.INVALID_PARAMS, "Validation error: " + e.getMessage(),
                    RequestId.NONE, e);
        }
    }

    private static RequestId requestIdOrNone(String value) {
        try {
            return RequestId.of(value);
        } catch (IllegalArgumentException e) {
            return RequestId.NONE;
        }
    }

    private ChatMessage body(Envelope envelope, RequestId id) {
        return switch (envelope.getBodyCase()) {
            // Requests
            case HELLO -> new Request.Hello(id, envelope.getHello().getClient(),
                    WireEnums.fromWire(envelope.getHello().getCapabilitiesList()));
            case REGISTER -> new Request.Register(id,
                    required(envelope.getRegister().getName(), "REGISTER", id),
                    Password.of(envelope.getRegister().getPassword()));
            case LOGIN -> new Request.Login(id,
                    required(envelope.getLogin().getName(), "LOGIN", id),
                    Password.of(required(envelope.getLogin().getPassword(), "LOGIN", "a password", id)));
            case POST -> new Request.Post(id,
                    roomOrDefault(envelope.getPost().getRoom()),
                    text(envelope.getPost().getText(), id));
            case POST_PRIVATE -> new Request.PostPrivate(id,
                    required(envelope.getPostPrivate().getTo(), "MESSAGE", "a recipient", id),
                    text(envelope.getPostPrivate().getText(), id));
            case JOIN -> new Request.Join(id, required(envelope.getJoin().getRoom(), "JOIN", id));
            case LEAVE -> new Request.Leave(id, required(envelope.getLeave().getRoom(), "LEAVE", id));
            case LIST_USERS -> new Request.ListUsers(id);
            case LIST_ROOMS -> new Request.ListRooms(id);
            case LIST_MESSAGES -> listMessages(envelope.getListMessages(), id);
            case ECHO -> new Request.Echo(id, required(envelope.getEcho().getText(), "ECHO", id));
            case TIME -> new Request.Time(id);
            case PING -> new Request.Ping(id, envelope.getPing().getToken());
            case QUIT -> new Request.Quit(id);

            // Replies
            case INFO -> new Reply.Info(id, envelope.getInfo().getText(), envelope.getInfo().getData());
            case NEGOTIATED -> new Reply.Negotiated(id, envelope.getNegotiated().getVersion(),
                    WireEnums.fromWire(envelope.getNegotiated().getCapabilitiesList()),
                    envelope.getNegotiated().getServer());
            case REGISTERED -> new Reply.Registered(id, envelope.getRegistered().getName());
            case LOGGED_IN -> new Reply.LoggedIn(id, envelope.getLoggedIn().getName());
            case POSTED -> new Reply.Posted(id, MessageId.of(envelope.getPosted().getMessageId()),
                    instant(envelope.getPosted().hasAt(), envelope.getPosted().getAt(), "at"));
            case SENT_PRIVATE -> new Reply.SentPrivate(id, MessageId.of(envelope.getSentPrivate().getMessageId()),
                    envelope.getSentPrivate().getTo(),
                    instant(envelope.getSentPrivate().hasAt(), envelope.getSentPrivate().getAt(), "at"));
            case JOINED -> new Reply.Joined(id, envelope.getJoined().getRoom(), envelope.getJoined().getMembersList());
            case LEFT -> new Reply.Left(id, envelope.getLeft().getRoom());
            case USERS -> new Reply.Users(id, envelope.getUsers().getNamesList());
            case ROOMS -> new Reply.Rooms(id, envelope.getRooms().getRoomsList().stream()
                    .map(room -> new RoomInfo(room.getName(), room.getMembers()))
                    .toList());
            case HISTORY -> new Reply.History(id, envelope.getHistory().getRoom(),
                    stored(envelope.getHistory().getMessagesList()), envelope.getHistory().getComplete());
            case ECHOED -> new Reply.Echoed(id, envelope.getEchoed().getText());
            case SERVER_TIME -> new Reply.ServerTime(id, OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(envelope.getServerTime().getEpochSeconds()),
                    ZoneOffset.ofTotalSeconds(envelope.getServerTime().getOffsetSeconds())));
            case PONG -> new Reply.Pong(id, envelope.getPong().getToken());
            case GOODBYE -> new Reply.Goodbye(id);
            case FAILED -> new Reply.Failed(id,
                    // A code this side does not know (a newer server) is still a failure: say so, do not drop it.
                    WireEnums.fromWire(envelope.getFailed().getCode()).orElse(ErrorCode.UNSPECIFIED),
                    envelope.getFailed().getMessage());

            // Events
            case ROOM_MESSAGE -> {
                if (!envelope.getRoomMessage().hasMessage()) {
                    throw new IllegalArgumentException("RoomMessage.message is missing");
                }
                yield new Event.RoomMessage(stored(envelope.getRoomMessage().getMessage()));
            }
            case PRIVATE_MESSAGE -> new Event.PrivateMessage(MessageId.of(envelope.getPrivateMessage().getMessageId()),
                    envelope.getPrivateMessage().getFrom(), envelope.getPrivateMessage().getTo(),
                    envelope.getPrivateMessage().getText(),
                    instant(envelope.getPrivateMessage().hasAt(), envelope.getPrivateMessage().getAt(), "at"));
            case PRESENCE -> {
                Presence presence = envelope.getPresence();
                yield new Event.Presence(presence.getRoom(), presence.getUser(),
                        WireEnums.fromWire(presence.getChange())
                                .orElseThrow(() -> outOfRange("Presence.change", presence.getChangeValue(), id)),
                        instant(presence.hasAt(), presence.getAt(), "at"));
            }
            case CLOSING -> {
                Closing closing = envelope.getClosing();
                yield new Event.Closing(WireEnums.fromWire(closing.getReason()).orElse(ErrorCode.UNSPECIFIED),
                        closing.getText());
            }

            case BODY_NOT_SET -> throw noBody(envelope, id);
        };
    }

    private Request.ListMessages listMessages(ListMessages list, RequestId id) {
        int limit = list.getLimit();
        if (limit < 0) {
            throw new CodecException(ErrorCode.INVALID_PARAMS,
                    "Validation error: limit must not be negative: " + limit, id);
        }
        HistoryCursor cursor = switch (list.getCursorCase()) {
            case CURSOR_NOT_SET, LATEST -> HistoryCursor.LATEST;
            case BEFORE -> HistoryCursor.before(MessageId.of(list.getBefore()));
            case AFTER -> HistoryCursor.after(MessageId.of(list.getAfter()));
        };
        // 0 is proto3's "not given"; capping at historyPageMax is the server's job, as for JSON.
        return new Request.ListMessages(id, roomOrDefault(list.getRoom()), cursor,
                limit == 0 ? limits.historyPageDefault() : limit);
    }

    /** Text of a MESSAGE: present, and within the limit counted in UTF-8 bytes as on the wire. */
    private String text(String text, RequestId id) {
        required(text, "MESSAGE", id);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxTextBytes()) {
            throw new CodecException(ErrorCode.MESSAGE_TOO_LONG,
                    "Message too long: " + bytes + " bytes of UTF-8, at most " + limits.maxTextBytes(), id);
        }
        return text;
    }

    /** An empty room is the seed's MESSAGE or LIST_MESSAGES without a room: the default room. */
    private static String roomOrDefault(String room) {
        return room.isEmpty() ? Request.DEFAULT_ROOM : room;
    }

    /** The command's {@code data} (in JSON terms) is missing: the seed's exact text. */
    private static String required(String value, String command, RequestId id) {
        if (value.isEmpty()) {
            throw new CodecException(ErrorCode.MISSING_DATA,
                    "Validation error: command " + command + " requires data", id);
        }
        return value;
    }

    /** Another field the command cannot do without ({@code "a password"}), named as the JSON codec names it. */
    private static String required(String value, String command, String field, RequestId id) {
        if (value.isEmpty()) {
            throw new CodecException(ErrorCode.MISSING_DATA,
                    "Validation error: command " + command + " requires " + field, id);
        }
        return value;
    }

    private static Instant instant(boolean present, Timestamp timestamp, String field) {
        if (!present) {
            throw new IllegalArgumentException(field + " is missing");
        }
        int nanos = timestamp.getNanosOfMilli();
        if (nanos < 0 || nanos >= NANOS_PER_MILLI) {
            throw new IllegalArgumentException(field + ".nanos_of_milli out of range: " + nanos);
        }
        return Instant.ofEpochMilli(timestamp.getEpochMillis()).plusNanos(nanos);
    }

    private static StoredMessage stored(dev.wirelab.codec.protobuf.wire.StoredMessage stored) {
        return new StoredMessage(MessageId.of(stored.getMessageId()), stored.getRoom(), stored.getFrom(),
                stored.getText(), instant(stored.hasAt(), stored.getAt(), "at"));
    }

    private static List<StoredMessage> stored(List<dev.wirelab.codec.protobuf.wire.StoredMessage> stored) {
        return stored.stream().map(WireDecoder::stored).toList();
    }

    private static CodecException outOfRange(String field, int value, RequestId id) {
        return new CodecException(ErrorCode.INVALID_PARAMS,
                "Validation error: " + field + " has no known value " + value, id);
    }

    private static CodecException noBody(Envelope envelope, RequestId id) {
        if (envelope.getUnknownFields().asMap().isEmpty()) {
            return new CodecException(ErrorCode.INVALID_MESSAGE, "Invalid message format: empty envelope", id);
        }
        // Most likely a newer peer's message kind: say which field, so the mismatch is easy to find.
        return new CodecException(ErrorCode.INVALID_MESSAGE,
                "Invalid message format: no message kind this codec knows (unknown fields "
                        + envelope.getUnknownFields().asMap().keySet() + ")", id);
    }
}
