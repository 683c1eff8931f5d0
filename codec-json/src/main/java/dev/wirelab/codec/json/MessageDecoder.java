package dev.wirelab.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Frame to message. The order of the checks is the contract:
 *
 * <ol>
 *   <li>size: over {@code maxFrameBytes} is {@link ErrorCode#FRAME_TOO_LARGE};</li>
 *   <li>a UTF-8 byte order mark is {@link ErrorCode#INVALID_MESSAGE} (RFC 8259 §8.1 forbids it
 *       in networked JSON; the bytes themselves are valid UTF-8);</li>
 *   <li>strict UTF-8, before Jackson sees anything: {@link ErrorCode#INVALID_UTF8};</li>
 *   <li>JSON syntax, one object per line, depth, number length (Jackson plus {@link LineParser});</li>
 *   <li>only then the meaning: id, duplicates, kind, command, fields.</li>
 * </ol>
 *
 * <p>Every failure is a {@link CodecException} carrying the request id if one was read: all
 * fields are read before any is judged, and for the first three checks the id is looked for in a
 * best-effort second parse. Stateless and thread-safe.
 */
final class MessageDecoder {

    private static final int BOM_LENGTH = 3;

    private final JsonFactory factory;
    private final Limits limits;

    MessageDecoder(JsonFactory factory, Limits limits) {
        this.factory = factory;
        this.limits = limits;
    }

    ChatMessage decode(Frame frame) {
        byte[] bytes = frame.bytes();
        if (bytes.length > limits.maxFrameBytes()) {
            throw new CodecException(ErrorCode.FRAME_TOO_LARGE,
                    "Frame too large: " + bytes.length + " bytes, at most " + limits.maxFrameBytes());
        }
        if (startsWithBom(bytes)) {
            throw new CodecException(ErrorCode.INVALID_MESSAGE,
                    "Invalid message format: byte order mark before the JSON object", bestEffortId(bytes));
        }
        LineParser lineParser = null;
        try (JsonParser parser = parserFor(bytes)) {
            lineParser = new LineParser(parser, limits.maxJsonDepth());
            Map<String, Node> fields = lineParser.read();
            return message(fields, lineParser.duplicate());
        } catch (CodecException e) {
            throw e;
        } catch (Malformed e) {
            throw new CodecException(e.code(), e.getMessage(), idSoFar(lineParser));
        } catch (StreamConstraintsException e) {
            // Depth is checked by LineParser, and no string or name can outgrow a frame that passed
            // the size check, so what is left is a number literal longer than maxJsonNumberLength.
            throw new CodecException(ErrorCode.INVALID_PARAMS,
                    "Validation error: a number is longer than " + limits.maxJsonNumberLength() + " characters",
                    idSoFar(lineParser), e);
        } catch (JsonProcessingException e) {
            throw new CodecException(ErrorCode.INVALID_MESSAGE,
                    "Invalid message format: " + Wire.quoteLong(withoutParserHints(e.getOriginalMessage())),
                    idSoFar(lineParser), e);
        } catch (IOException e) {
            throw new CodecException(ErrorCode.INVALID_MESSAGE,
                    "Invalid message format: " + Wire.quoteLong(e.getMessage()),
                    idSoFar(lineParser), e);
        } catch (IllegalArgumentException | DateTimeException e) {
            // A record's compact constructor refused a value (an empty room, a negative count, ...).
            throw new CodecException(ErrorCode.INVALID_PARAMS, "Validation error: " + e.getMessage(),
                    idSoFar(lineParser), e);
        } catch (RuntimeException e) {
            // Decoding promises CodecException and nothing else; anything here is a bug to report
            // with its cause, not a reason to take the reading thread down.
            throw new CodecException(ErrorCode.INVALID_MESSAGE, "Invalid message format: unreadable line",
                    idSoFar(lineParser), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Bytes

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= BOM_LENGTH
                && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /**
     * A parser over the line: straight over the bytes when they are all ASCII (most chat lines,
     * and ASCII is always valid UTF-8), else over the characters of a strict UTF-8 decoding, which
     * refuses what Jackson's own decoder would let through (overlong forms, encoded surrogates).
     */
    private JsonParser parserFor(byte[] bytes) throws IOException {
        if (isAscii(bytes)) {
            return factory.createParser(bytes, 0, bytes.length);
        }
        CharBuffer text = strictUtf8(bytes);
        return factory.createParser(text.array(), 0, text.limit());
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes UTF-8, refusing (never replacing) malformed input: overlong forms, encoded
     * surrogates, bytes that cannot start a sequence, sequences cut short. Jackson is not trusted
     * to catch all of these.
     */
    private CharBuffer strictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never yields more chars than bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CodecException(ErrorCode.INVALID_UTF8,
                    "Invalid UTF-8: malformed byte sequence at offset " + in.position(), bestEffortId(bytes));
        }
        return out.flip();
    }

    /**
     * The id of a line refused before parsing (bad UTF-8, a BOM), found by parsing a copy in which
     * bad bytes are replaced. The copy is only searched for the id, never decoded into a message;
     * an id that itself held bad bytes is not returned.
     */
    private RequestId bestEffortId(byte[] bytes) {
        String laundered = new String(bytes, StandardCharsets.UTF_8);
        if (laundered.startsWith("\uFEFF")) {
            laundered = laundered.substring(1);
        }
        LineParser lineParser = null;
        try (JsonParser parser = factory.createParser(laundered.toCharArray())) {
            lineParser = new LineParser(parser, limits.maxJsonDepth());
            lineParser.read();
        } catch (IOException | Malformed | RuntimeException e) {
            // Expected often: the copy may be no better JSON than the original.
        }
        RequestId id = idSoFar(lineParser);
        return id.value().indexOf('\uFFFD') >= 0 ? RequestId.NONE : id;
    }

    /** The id among the fields read so far, if it is a valid one; never fails. */
    private static RequestId idSoFar(LineParser lineParser) {
        if (lineParser == null) {
            return RequestId.NONE;
        }
        return validId(lineParser.fieldsSoFar()).orElse(RequestId.NONE);
    }

    private static Optional<RequestId> validId(Map<String, Node> fields) {
        if (fields.get(Wire.ID) instanceof Node.Text text && Wire.isWellFormedUtf16(text.value())) {
            try {
                return Optional.of(RequestId.of(text.value()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------
    // What kind of message

    private ChatMessage message(Map<String, Node> values, Optional<String> duplicate) {
        Optional<RequestId> id = validId(values);
        Fields fields = new Fields(values, id.orElse(RequestId.NONE));
        if (values.containsKey(Wire.ID) && id.isEmpty()) {
            // Checked first: every later error would want to carry this id.
            fields.text(Wire.ID);
            throw fields.invalid("field id must be at most " + RequestId.MAX_BYTES
                    + " bytes of UTF-8 without control characters");
        }
        if (duplicate.isPresent()) {
            throw fields.error(ErrorCode.INVALID_MESSAGE,
                    "Invalid message format: duplicate field " + Wire.quote(duplicate.get()));
        }
        if (fields.has(Wire.COMMAND)) {
            return request(fields);
        }
        if (fields.has(Wire.SUCCESS)) {
            return reply(fields);
        }
        if (fields.has(Wire.EVENT)) {
            return event(fields);
        }
        throw fields.error(ErrorCode.INVALID_MESSAGE,
                "Invalid message format: no command, success or event field");
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    private Request request(Fields fields) {
        String name = fields.requiredText(Wire.COMMAND);
        Optional<String> data = fields.text(Wire.DATA);
        // Accepted and ignored: the server knows who is on each connection.
        fields.text(Wire.FROM);
        if (name.isEmpty()) {
            // The seed's text, for once describing what really happened.
            throw fields.error(ErrorCode.INVALID_MESSAGE, "Validation error: command cannot be empty");
        }
        Command command = Command.byWireName(name).orElseThrow(() -> fields.error(ErrorCode.UNKNOWN_COMMAND,
                "Validation error: unknown command: " + Wire.quote(name)));
        RequestId id = fields.id();
        return switch (command) {
            case HELLO -> new Request.Hello(id, data.orElse(""), capabilities(fields));
            case REGISTER -> {
                String user = requiredData(fields, command, data);
                Password password = fields.text(Wire.PASSWORD).map(Password::of).orElse(Password.NONE);
                yield new Request.Register(id, user, password);
            }
            case LOGIN -> {
                String user = requiredData(fields, command, data);
                Password password = fields.text(Wire.PASSWORD).filter(p -> !p.isEmpty()).map(Password::of)
                        .orElseThrow(() -> fields.error(ErrorCode.MISSING_DATA,
                                "Validation error: command LOGIN requires a password"));
                yield new Request.Login(id, user, password);
            }
            case MESSAGE -> post(fields, requiredData(fields, command, data));
            case JOIN -> new Request.Join(id, requiredData(fields, command, data));
            case LEAVE -> new Request.Leave(id, requiredData(fields, command, data));
            case LIST_USERS -> new Request.ListUsers(id);
            case LIST_ROOMS -> new Request.ListRooms(id);
            case LIST_MESSAGES -> listMessages(fields);
            case ECHO -> new Request.Echo(id, requiredData(fields, command, data));
            case TIME -> new Request.Time(id);
            case PING -> new Request.Ping(id, data.orElse(""));
            case QUIT -> new Request.Quit(id);
        };
    }

    private static String requiredData(Fields fields, Command command, Optional<String> data) {
        return data.filter(text -> !text.isEmpty()).orElseThrow(() -> fields.error(ErrorCode.MISSING_DATA,
                "Validation error: command " + command.name() + " requires data"));
    }

    private static Set<Capability> capabilities(Fields fields) {
        Set<Capability> granted = EnumSet.noneOf(Capability.class);
        for (String name : fields.texts(Wire.CAPABILITIES).orElse(List.of())) {
            // Unknown names are skipped: a newer client may ask for what this server lacks.
            Arrays.stream(Capability.values()).filter(c -> c.name().equals(name)).findFirst().ifPresent(granted::add);
        }
        return granted;
    }

    private Request post(Fields fields, String text) {
        Optional<String> to = fields.text(Wire.TO);
        Optional<String> room = fields.text(Wire.ROOM);
        if (to.isPresent() && room.isPresent()) {
            throw fields.invalid("a message goes to a room or to a user, not both");
        }
        int length = Wire.utf8Length(text);
        if (length > limits.maxTextBytes()) {
            throw fields.error(ErrorCode.MESSAGE_TOO_LONG,
                    "Message too long: " + length + " bytes of UTF-8, at most " + limits.maxTextBytes());
        }
        if (to.isPresent()) {
            return new Request.PostPrivate(fields.id(), to.get(), text);
        }
        return new Request.Post(fields.id(), room.orElse(Request.DEFAULT_ROOM), text);
    }

    private Request listMessages(Fields fields) {
        String room = fields.text(Wire.ROOM).orElse(Request.DEFAULT_ROOM);
        OptionalLong before = fields.positiveLong(Wire.BEFORE);
        OptionalLong after = fields.positiveLong(Wire.AFTER);
        int limit = fields.positiveInt(Wire.LIMIT).orElse(limits.historyPageDefault());
        if (before.isPresent() && after.isPresent()) {
            throw fields.invalid("a page of history is before or after a message, not both");
        }
        HistoryCursor cursor = before.isPresent() ? HistoryCursor.before(MessageId.of(before.getAsLong()))
                : after.isPresent() ? HistoryCursor.after(MessageId.of(after.getAsLong()))
                : HistoryCursor.LATEST;
        return new Request.ListMessages(fields.id(), room, cursor, limit);
    }

    // ---------------------------------------------------------------------------------------------
    // Replies

    private Reply reply(Fields fields) {
        boolean success = fields.requiredBool(Wire.SUCCESS);
        String message = fields.requiredText(Wire.MESSAGE);
        String data = fields.text(Wire.DATA).orElse("");
        Optional<ReplyKind> kind = fields.text(Wire.REPLY).flatMap(ReplyKind::byWireName);
        if (kind.isPresent()) {
            if (success == (kind.get() == ReplyKind.FAILED)) {
                throw fields.invalid("success is " + success + " in a reply of kind " + kind.get().wireName());
            }
            return typedReply(kind.get(), fields, message, data);
        }
        // The seed's shape, or a kind this codec does not know yet: read it as the seed's.
        return seedReply(fields, success, message, data);
    }

    private Reply typedReply(ReplyKind kind, Fields fields, String message, String data) {
        RequestId id = fields.id();
        return switch (kind) {
            case INFO -> new Reply.Info(id, message, data);
            case NEGOTIATED -> new Reply.Negotiated(id, fields.requiredPositiveInt(Wire.VERSION),
                    capabilities(fields), fields.requiredText(Wire.SERVER));
            case REGISTERED -> new Reply.Registered(id, fields.requiredText(Wire.NAME));
            case LOGGED_IN -> new Reply.LoggedIn(id, fields.requiredText(Wire.NAME));
            case POSTED -> new Reply.Posted(id, MessageId.of(fields.requiredPositiveLong(Wire.MSGID)),
                    fields.requiredInstant(Wire.TIME));
            case SENT_PRIVATE -> new Reply.SentPrivate(id, MessageId.of(fields.requiredPositiveLong(Wire.MSGID)),
                    fields.requiredText(Wire.TO), fields.requiredInstant(Wire.TIME));
            case JOINED -> new Reply.Joined(id, fields.requiredText(Wire.ROOM), fields.requiredTexts(Wire.MEMBERS));
            case LEFT -> new Reply.Left(id, fields.requiredText(Wire.ROOM));
            case USERS -> new Reply.Users(id, fields.requiredTexts(Wire.USERS));
            case ROOMS -> {
                List<RoomInfo> rooms = new ArrayList<>();
                for (Fields room : fields.requiredObjects(Wire.ROOMS)) {
                    rooms.add(new RoomInfo(room.requiredText(Wire.NAME), room.requiredNonNegativeInt(Wire.MEMBERS)));
                }
                yield new Reply.Rooms(id, rooms);
            }
            case HISTORY -> {
                List<StoredMessage> messages = new ArrayList<>();
                for (Fields stored : fields.requiredObjects(Wire.MESSAGES)) {
                    messages.add(storedMessage(stored));
                }
                yield new Reply.History(id, fields.requiredText(Wire.ROOM), messages,
                        fields.requiredBool(Wire.COMPLETE));
            }
            case ECHOED -> new Reply.Echoed(id, data);
            case SERVER_TIME -> new Reply.ServerTime(id, serverTime(fields, data));
            case PONG -> new Reply.Pong(id, data);
            case GOODBYE -> new Reply.Goodbye(id);
            case FAILED -> new Reply.Failed(id, errorCode(fields), message);
        };
    }

    /** The seed's reply shape, which has no kind: told apart by its text, lossily by design. */
    private static Reply seedReply(Fields fields, boolean success, String message, String data) {
        RequestId id = fields.id();
        if (!success) {
            return new Reply.Failed(id, errorCode(fields), message);
        }
        if (message.equals(Wire.ECHO_RESPONSE)) {
            return new Reply.Echoed(id, data);
        }
        if (message.equals(Wire.ONLINE_USERS)) {
            return new Reply.Users(id, data.isEmpty() ? List.of() : List.of(data.split(Wire.LIST_SEPARATOR, -1)));
        }
        if (message.equals(Wire.SERVER_TIME)) {
            return new Reply.ServerTime(id, serverTime(fields, data));
        }
        if (message.equals(Wire.GOODBYE)) {
            return new Reply.Goodbye(id);
        }
        if (message.startsWith(Wire.REGISTERED_PREFIX) && message.endsWith("!")
                && message.length() > Wire.REGISTERED_PREFIX.length() + 1) {
            return new Reply.Registered(id, message.substring(Wire.REGISTERED_PREFIX.length(), message.length() - 1));
        }
        return new Reply.Info(id, message, data);
    }

    private static OffsetDateTime serverTime(Fields fields, String data) {
        try {
            // ISO_OFFSET_DATE_TIME reads RFC 3339 with or without fractional seconds.
            return OffsetDateTime.parse(data, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeException e) {
            throw fields.invalid("server time is not RFC 3339: " + Wire.quote(data));
        }
    }

    /** The {@code code} field; a code this build does not know reads as UNSPECIFIED. */
    private static ErrorCode errorCode(Fields fields) {
        Optional<String> code = fields.text(Wire.CODE);
        if (code.isEmpty()) {
            return ErrorCode.UNSPECIFIED;
        }
        return Arrays.stream(ErrorCode.values()).filter(c -> c.name().equals(code.get())).findFirst()
                .orElse(ErrorCode.UNSPECIFIED);
    }

    // ---------------------------------------------------------------------------------------------
    // Events

    private static Event event(Fields fields) {
        String name = fields.requiredText(Wire.EVENT);
        EventKind kind = EventKind.byWireName(name)
                .orElseThrow(() -> fields.invalid("unknown event: " + Wire.quote(name)));
        return switch (kind) {
            case MESSAGE -> new Event.RoomMessage(storedMessage(fields));
            case PRIVATE -> new Event.PrivateMessage(MessageId.of(fields.requiredPositiveLong(Wire.MSGID)),
                    fields.requiredText(Wire.FROM), fields.requiredText(Wire.TO), fields.requiredText(Wire.TEXT),
                    fields.requiredInstant(Wire.TIME));
            case PRESENCE -> new Event.Presence(fields.requiredText(Wire.ROOM), fields.requiredText(Wire.USER),
                    presenceChange(fields), fields.requiredInstant(Wire.TIME));
            case CLOSING -> new Event.Closing(errorCode(fields), fields.requiredText(Wire.TEXT));
        };
    }

    private static StoredMessage storedMessage(Fields fields) {
        return new StoredMessage(MessageId.of(fields.requiredPositiveLong(Wire.MSGID)), fields.requiredText(Wire.ROOM),
                fields.requiredText(Wire.FROM), fields.requiredText(Wire.TEXT), fields.requiredInstant(Wire.TIME));
    }

    private static PresenceChange presenceChange(Fields fields) {
        String change = fields.requiredText(Wire.CHANGE);
        return Arrays.stream(PresenceChange.values())
                .filter(c -> c.name().toLowerCase(Locale.ROOT).equals(change))
                .findFirst()
                .orElseThrow(() -> fields.invalid("unknown presence change: " + Wire.quote(change)));
    }

    /** Jackson's advice to enable one of its features, which means nothing to a chat client. */
    private static final java.util.regex.Pattern PARSER_HINT =
            java.util.regex.Pattern.compile("[:;,]?\\s*\\(?enable [`'\"][\\w.]+[`'\"] to allow\\)?");

    /** The parser's message without its hints about its own configuration. */
    static String withoutParserHints(String message) {
        return message == null ? "" : PARSER_HINT.matcher(message).replaceAll("");
    }

}
