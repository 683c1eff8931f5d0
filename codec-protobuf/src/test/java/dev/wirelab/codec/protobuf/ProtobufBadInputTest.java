package dev.wirelab.codec.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wirelab.codec.protobuf.wire.Closing;
import dev.wirelab.codec.protobuf.wire.Echo;
import dev.wirelab.codec.protobuf.wire.Envelope;
import dev.wirelab.codec.protobuf.wire.Failed;
import dev.wirelab.codec.protobuf.wire.Join;
import dev.wirelab.codec.protobuf.wire.Leave;
import dev.wirelab.codec.protobuf.wire.ListMessages;
import dev.wirelab.codec.protobuf.wire.Login;
import dev.wirelab.codec.protobuf.wire.Post;
import dev.wirelab.codec.protobuf.wire.PostPrivate;
import dev.wirelab.codec.protobuf.wire.Posted;
import dev.wirelab.codec.protobuf.wire.Presence;
import dev.wirelab.codec.protobuf.wire.Register;
import dev.wirelab.codec.protobuf.wire.RoomInfo;
import dev.wirelab.codec.protobuf.wire.Rooms;
import dev.wirelab.codec.protobuf.wire.ServerTime;
import dev.wirelab.codec.protobuf.wire.Timestamp;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.Decoded;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameDecoder;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.testkit.SampleMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The protobuf rows of the bad-input table ({@code reference/limits-and-bad-input.md} §5): each bad
 * frame gives one {@link CodecException} with the right code, carrying the request id whenever it
 * could be read, and the next good frame still decodes.
 */
@Timeout(30)
class ProtobufBadInputTest {

    private static final Limits LIMITS = Limits.DEFAULTS;
    private static final RequestId ID = RequestId.of("bad-1");
    private static final Request.Echo GOOD = new Request.Echo(RequestId.of("good"), "still here");

    private final ProtobufCodec codec = ProtobufCodec.create(LIMITS);

    /** Decoding must fail with {@code code}; afterwards a valid frame must still decode. */
    private CodecException rejects(byte[] bytes, ErrorCode code, RequestId id) {
        CodecException e = catchThrowableOfType(CodecException.class, () -> codec.decode(new Frame(bytes)));
        assertThat(e).as("decoding %s", HexFormat.ofDelimiter(" ").formatHex(bytes)).isNotNull();
        assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.requestId()).as("request id of: %s", e.getMessage()).isEqualTo(id);
        assertThat(codec.decode(codec.encode(GOOD))).isEqualTo(GOOD);
        return e;
    }

    private CodecException rejects(Envelope envelope, ErrorCode code, RequestId id) {
        return rejects(envelope.toByteArray(), code, id);
    }

    private static Envelope.Builder envelope() {
        return Envelope.newBuilder().setRequestId(ID.value());
    }

    private static byte[] hex(String hex) {
        return HexFormat.ofDelimiter(" ").parseHex(hex);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // --- Not an envelope -------------------------------------------------------------------------

    @Test
    void rejectsAnEmptyFrameAsAnEmptyEnvelope() {
        CodecException e = rejects(new byte[0], ErrorCode.INVALID_MESSAGE, RequestId.NONE);

        assertThat(e).hasMessageContaining("empty envelope");
    }

    @Test
    void rejectsAnEnvelopeWithOnlyARequestIdAsEmptyButNamesTheRequest() {
        rejects(envelope().build(), ErrorCode.INVALID_MESSAGE, ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff ff ff ff ff ff ff ff ff ff ff", "00", "07 01", "0a 05 61", "47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31",
        "16 03 01 02 00 01 00 01 fc 03 03"})
    void rejectsGarbageAsAnInvalidMessage(String garbage) {
        // Malformed varint, field 0, wire type 7, a length past the end, "GET / HTTP/1.1", a TLS ClientHello.
        rejects(hex(garbage), ErrorCode.INVALID_MESSAGE, RequestId.NONE);
    }

    @Test
    void rejectsATruncatedEnvelopeAndStillNamesTheRequestWhoseIdWasRead() {
        byte[] whole = codec.encode(new Request.Echo(ID, "hello, world")).bytes();

        for (int cut = ID.value().length() + 2 + 1; cut < whole.length; cut++) {
            rejects(Arrays.copyOf(whole, cut), ErrorCode.INVALID_MESSAGE, ID);
        }
    }

    @Test
    void rejectsInvalidUtf8InATextFieldAndStillNamesTheRequest() {
        // request_id "bad" (field 1), then echo (field 20: tag A2 01) of 4 bytes holding text (field 1) = C3 28.
        byte[] bytes = hex("0a 03 62 61 64 a2 01 04 0a 02 c3 28");

        rejects(bytes, ErrorCode.INVALID_UTF8, RequestId.of("bad"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3 28", "c0 af", "ed a0 80", "ff", "f4 90 80 80", "e2 82"})
    void rejectsEveryKindOfInvalidUtf8RatherThanReplacingIt(String sequence) {
        // Lone continuation, overlong, surrogate, never-valid byte, above U+10FFFF, truncated sequence.
        byte[] text = hex(sequence);
        byte[] echo = concat(new byte[] {0x0a, (byte) text.length}, text);
        byte[] bytes = concat(hex("0a 03 62 61 64 a2 01"), new byte[] {(byte) echo.length}, echo);

        rejects(bytes, ErrorCode.INVALID_UTF8, RequestId.of("bad"));
    }

    @Test
    void rejectsInvalidUtf8InTheRequestIdWithoutAnId() {
        rejects(hex("0a 02 c3 28 a2 01 04 0a 02 68 69"), ErrorCode.INVALID_UTF8, RequestId.NONE);
    }

    @Test
    void rejectsAMessageKindFromANewerPeerAsAnInvalidMessageNamingTheField() {
        // request_id "bad-1", then field 99 (tag 9A 06) holding an empty message.
        byte[] bytes = concat(envelope().build().toByteArray(), hex("9a 06 00"));

        CodecException e = rejects(bytes, ErrorCode.INVALID_MESSAGE, ID);

        assertThat(e).hasMessageContaining("99");
    }

    @Test
    void rejectsAFrameOverTheFrameLimitHandedToItDirectly() {
        ProtobufCodec small = ProtobufCodec.create(Limits.DEFAULTS.withMaxFrameBytes(64));
        byte[] big = codec.encode(new Request.Echo(ID, "x".repeat(64))).bytes();

        assertThatThrownBy(() -> small.decode(new Frame(big)))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
    }

    // --- Missing data ----------------------------------------------------------------------------

    static Stream<Arguments> requestsWithoutTheirData() {
        return Stream.of(
                Arguments.of(envelope().setRegister(Register.newBuilder().setPassword("pw")), "REGISTER requires data"),
                Arguments.of(envelope().setLogin(Login.newBuilder().setPassword("pw")), "LOGIN requires data"),
                Arguments.of(envelope().setLogin(Login.newBuilder().setName("Bob")), "LOGIN requires a password"),
                Arguments.of(envelope().setPost(Post.newBuilder().setRoom("lobby")), "MESSAGE requires data"),
                Arguments.of(envelope().setPostPrivate(PostPrivate.newBuilder().setTo("Bob")), "MESSAGE requires data"),
                Arguments.of(envelope().setPostPrivate(PostPrivate.newBuilder().setText("psst")), "MESSAGE requires a recipient"),
                Arguments.of(envelope().setJoin(Join.getDefaultInstance()), "JOIN requires data"),
                Arguments.of(envelope().setLeave(Leave.getDefaultInstance()), "LEAVE requires data"),
                Arguments.of(envelope().setEcho(Echo.getDefaultInstance()), "ECHO requires data"));
    }

    @ParameterizedTest
    @MethodSource("requestsWithoutTheirData")
    void rejectsARequestWithoutItsDataInTheSeedsWords(Envelope.Builder request, String text) {
        CodecException e = rejects(request.build(), ErrorCode.MISSING_DATA, ID);

        assertThat(e).hasMessage("Validation error: command " + text);
    }

    // --- Text limit ------------------------------------------------------------------------------

    /** Exactly {@code bytes} bytes of UTF-8, ending in a 4-byte emoji. */
    private static String textOf(int bytes) {
        String text = "a".repeat(bytes - 4) + "🎉";
        assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return text;
    }

    static Stream<Arguments> posts() {
        return Stream.of(Arguments.of("room"), Arguments.of("private"));
    }

    private static Envelope post(String kind, String text) {
        return kind.equals("room")
                ? envelope().setPost(Post.newBuilder().setRoom("lobby").setText(text)).build()
                : envelope().setPostPrivate(PostPrivate.newBuilder().setTo("Bob").setText(text)).build();
    }

    @ParameterizedTest
    @MethodSource("posts")
    void acceptsATextOfExactlyTheLimitEndingInAFourByteEmojiIntact(String kind) {
        String text = textOf(LIMITS.maxTextBytes());

        ChatMessage decoded = codec.decode(new Frame(post(kind, text).toByteArray()));

        assertThat(decoded).isIn(new Request.Post(ID, "lobby", text), new Request.PostPrivate(ID, "Bob", text));
    }

    @ParameterizedTest
    @MethodSource("posts")
    void rejectsATextOneByteOverTheLimitAsTooLongWithTheRequestId(String kind) {
        CodecException e = rejects(post(kind, textOf(LIMITS.maxTextBytes() + 1)), ErrorCode.MESSAGE_TOO_LONG, ID);

        assertThat(e).hasMessageContaining(Integer.toString(LIMITS.maxTextBytes()));
    }

    @Test
    void appliesTheConfiguredTextLimitNotAFixedOne() {
        ProtobufCodec tight = ProtobufCodec.create(Limits.DEFAULTS.withMaxTextBytes(8));

        assertThat(tight.decode(new Frame(post("room", textOf(8)).toByteArray()))).isEqualTo(new Request.Post(ID, "lobby", textOf(8)));
        assertThatThrownBy(() -> tight.decode(new Frame(post("room", textOf(9)).toByteArray())))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LONG));
    }

    // --- Impossible values -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {-1, -100, Integer.MIN_VALUE})
    void rejectsANegativeHistoryLimit(int limit) {
        CodecException e = rejects(envelope().setListMessages(ListMessages.newBuilder().setRoom("lobby").setLimit(limit)).build(),
                ErrorCode.INVALID_PARAMS, ID);

        assertThat(e).hasMessageContaining("limit");
    }

    @Test
    void readsAHistoryLimitOfZeroAsTheDefaultPage() {
        Envelope list = envelope().setListMessages(ListMessages.newBuilder().setRoom("lobby").setLimit(0)).build();

        assertThat(codec.decode(new Frame(list.toByteArray())))
                .isEqualTo(new Request.ListMessages(ID, "lobby", HistoryCursor.LATEST, LIMITS.historyPageDefault()));
    }

    static Stream<Arguments> enumsOutOfRange() {
        return Stream.of(
                Arguments.of("Presence.change 99", envelope().setPresence(Presence.newBuilder().setRoom("lobby").setUser("Bob")
                        .setChangeValue(99).setAt(Timestamp.getDefaultInstance()))),
                Arguments.of("Presence.change unset", envelope().setPresence(Presence.newBuilder().setRoom("lobby").setUser("Bob")
                        .setAt(Timestamp.getDefaultInstance()))));
    }

    @Test
    void readsAnErrorCodeItDoesNotKnowAsUnspecifiedSoTheFailureStillArrives() {
        Envelope failed = envelope().setFailed(Failed.newBuilder().setCodeValue(99).setMessage("newer")).build();
        Envelope unset = envelope().setFailed(Failed.newBuilder().setMessage("unset")).build();
        Envelope closing = envelope().setClosing(Closing.newBuilder().setReasonValue(99).setText("bye")).build();

        assertThat(codec.decode(new Frame(failed.toByteArray())))
                .isEqualTo(new Reply.Failed(ID, ErrorCode.UNSPECIFIED, "newer"));
        assertThat(codec.decode(new Frame(unset.toByteArray())))
                .isEqualTo(new Reply.Failed(ID, ErrorCode.UNSPECIFIED, "unset"));
        assertThat(codec.decode(new Frame(closing.toByteArray())))
                .isEqualTo(new Event.Closing(ErrorCode.UNSPECIFIED, "bye"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enumsOutOfRange")
    void rejectsAnEnumValueItDoesNotKnowWhereTheValueMatters(String what, Envelope.Builder envelope) {
        rejects(envelope.build(), ErrorCode.INVALID_PARAMS, ID);
    }

    static Stream<Arguments> impossibleValues() {
        Timestamp epoch = Timestamp.getDefaultInstance();
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("message id 0", envelope().setPosted(Posted.newBuilder().setAt(epoch))));
        cases.add(Arguments.of("message id -3", envelope().setPosted(Posted.newBuilder().setMessageId(-3).setAt(epoch))));
        cases.add(Arguments.of("no timestamp", envelope().setPosted(Posted.newBuilder().setMessageId(1))));
        cases.add(Arguments.of("nanos of milli 1000000", envelope().setPosted(Posted.newBuilder().setMessageId(1)
                .setAt(Timestamp.newBuilder().setNanosOfMilli(1_000_000)))));
        cases.add(Arguments.of("negative nanos of milli", envelope().setPosted(Posted.newBuilder().setMessageId(1)
                .setAt(Timestamp.newBuilder().setNanosOfMilli(-1)))));
        cases.add(Arguments.of("cursor before 0", envelope().setListMessages(ListMessages.newBuilder().setBefore(0).setLimit(5))));
        cases.add(Arguments.of("cursor after -1", envelope().setListMessages(ListMessages.newBuilder().setAfter(-1))));
        cases.add(Arguments.of("offset of 19 hours", envelope().setServerTime(ServerTime.newBuilder().setOffsetSeconds(19 * 3600))));
        cases.add(Arguments.of("epoch seconds beyond Instant", envelope().setServerTime(ServerTime.newBuilder()
                .setEpochSeconds(Long.MAX_VALUE))));
        cases.add(Arguments.of("room with -1 members", envelope().setRooms(Rooms.newBuilder()
                .addRooms(RoomInfo.newBuilder().setName("lobby").setMembers(-1)))));
        cases.add(Arguments.of("version 0", envelope().setNegotiated(dev.wirelab.codec.protobuf.wire.Negotiated.getDefaultInstance())));
        cases.add(Arguments.of("registered without a name", envelope().setRegistered(
                dev.wirelab.codec.protobuf.wire.Registered.getDefaultInstance())));
        cases.add(Arguments.of("room message without its message", envelope().setRoomMessage(
                dev.wirelab.codec.protobuf.wire.RoomMessage.getDefaultInstance())));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impossibleValues")
    void rejectsImpossibleValuesAsInvalidParamsWithTheRequestId(String what, Envelope.Builder envelope) {
        rejects(envelope.build(), ErrorCode.INVALID_PARAMS, ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tab\there", "new\nline"})
    void rejectsARequestIdWithControlCharactersWithoutEchoingIt(String id) {
        rejects(Envelope.newBuilder().setRequestId(id).setEcho(Echo.newBuilder().setText("x")).build(),
                ErrorCode.INVALID_PARAMS, RequestId.NONE);
    }

    @Test
    void rejectsARequestIdOverSixtyFourBytesWithoutEchoingIt() {
        rejects(Envelope.newBuilder().setRequestId("i".repeat(RequestId.MAX_BYTES + 1)).setEcho(Echo.newBuilder().setText("x")).build(),
                ErrorCode.INVALID_PARAMS, RequestId.NONE);
    }

    @Test
    void refusesToEncodeAnInstantBeyondTheTimestampsRange() {
        Reply.Posted far = new Reply.Posted(ID, MessageId.of(1), Instant.MAX);

        assertThatThrownBy(() -> codec.encode(far))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS);
                    assertThat(e.requestId()).isEqualTo(ID);
                });
    }

    @Test
    void noRandomOrMutatedFrameEndsUpInTheSafetyNetForUnexpectedExceptions() {
        // decode turns any unexpected RuntimeException into INVALID_MESSAGE so a reader thread
        // survives a bug; this test makes sure no input actually relies on that.
        Random random = new Random(20261129L);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(96)];
            random.nextBytes(bytes);
            frames.add(bytes);
        }
        for (ChatMessage sample : SampleMessages.all()) {
            byte[] bytes = codec.encode(sample).bytes();
            for (int i = 0; i < 200; i++) {
                byte[] mutated = bytes.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
                frames.add(mutated);
            }
        }

        for (byte[] frame : frames) {
            try {
                codec.decode(new Frame(frame));
            } catch (CodecException e) {
                assertThat(e.getMessage()).as("decoding %s (cause %s)", HexFormat.ofDelimiter(" ").formatHex(frame), e.getCause())
                        .isNotEqualTo("Invalid message format: unreadable envelope");
            }
        }
    }

    // --- Through the framing ---------------------------------------------------------------------

    @Test
    void aLengthPrefixOfTwoToTheThirtyFirstBreaksTheStreamWithoutAllocating() {
        FrameDecoder decoder = codec.framing().newDecoder();

        List<Decoded> decoded = decoder.feed(concat(hex("80 00 00 00"), new byte[1024]));

        assertThat(decoded).singleElement().isInstanceOf(Decoded.Broken.class);
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void aFrameOneByteOverTheLimitIsSkippedUnbufferedAndTheStreamStaysInStep() throws Exception {
        FrameDecoder decoder = codec.framing().newDecoder();
        int length = LIMITS.maxFrameBytes() + 1;
        List<Decoded> decoded = new ArrayList<>(decoder.feed(new byte[] {
            (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length}));

        byte[] chunk = new byte[1000];
        Arrays.fill(chunk, (byte) 0xAB);
        for (int sent = 0; sent < length; sent += chunk.length) {
            decoded.addAll(decoder.feed(chunk, 0, Math.min(chunk.length, length - sent)));
            assertThat(decoder.bufferedBytes()).as("bytes buffered after %d of %d", sent, length).isLessThanOrEqualTo(4);
        }
        decoded.addAll(decoder.feed(codec.framing().encode(codec.encode(GOOD))));

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0)).isEqualTo(new Decoded.Oversize(length));
        assertThat(decoded.get(1)).isInstanceOfSatisfying(Decoded.Complete.class,
                complete -> assertThat(codec.decode(complete.frame())).isEqualTo(GOOD));
    }

    @Test
    void aZeroLengthFrameReachesTheCodecAndIsAnInvalidMessage() {
        FrameDecoder decoder = codec.framing().newDecoder();

        List<Decoded> decoded = decoder.feed(hex("00 00 00 00"));

        assertThat(decoded).singleElement().isInstanceOfSatisfying(Decoded.Complete.class,
                complete -> rejects(complete.frame().bytes(), ErrorCode.INVALID_MESSAGE, RequestId.NONE));
    }
}
