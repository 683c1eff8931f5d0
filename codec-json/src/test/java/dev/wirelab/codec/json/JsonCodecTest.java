package dev.wirelab.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.StoredMessage;
import dev.wirelab.testkit.CodecContract;
import dev.wirelab.testkit.SampleMessages;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared codec contract, plus what is particular to JSON lines. */
@Timeout(30)
class JsonCodecTest extends CodecContract {

    private static final JsonCodec CODEC = JsonCodec.create(Limits.DEFAULTS, ZoneOffset.UTC);

    @Override
    protected Codec codec() {
        return CODEC;
    }

    @Test
    void isNamedJsonAndFramedAsLinesOfTheConfiguredSize() {
        JsonCodec small = JsonCodec.create(Limits.DEFAULTS.withMaxFrameBytes(1000), ZoneOffset.UTC);

        assertThat(CODEC.name()).isEqualTo("json");
        assertThat(CODEC.framing()).isEqualTo(Framing.lines(Limits.DEFAULTS.maxFrameBytes()));
        assertThat(small.framing()).isEqualTo(Framing.lines(1000));
    }

    @ParameterizedTest
    @MethodSource("dev.wirelab.testkit.SampleMessages#all")
    void neverWritesARawLineBreakOrPrettyPrints(ChatMessage message) {
        byte[] bytes = CODEC.encode(message).bytes();

        assertThat(bytes).doesNotContain((byte) '\n', (byte) '\r');
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"").endsWith("}").doesNotContain("\": ");
    }

    @Test
    void writesNonAsciiAsRawUtf8AsTheSeedDoes() {
        byte[] bytes = CODEC.encode(new Request.Echo(RequestId.NONE, "é🎉")).bytes();

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(
                "{\"command\":\"ECHO\",\"data\":\"".getBytes(StandardCharsets.US_ASCII))
                + "c3a9" + "f09f8e89" + HexFormat.of().formatHex("\"}".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void escapesControlCharactersInsteadOfWritingThem() {
        String line = CODEC.encode(new Request.Echo(RequestId.NONE, "a\nb\rc\u0000d")).toUtf8();

        assertThat(line).isEqualTo("{\"command\":\"ECHO\",\"data\":\"a\\nb\\rc\\u0000d\"}");
    }

    @Test
    void refusesToEncodeTextWithAnUnpairedSurrogate() {
        assertThatThrownBy(() -> CODEC.encode(new Request.Echo(RequestId.of("s"), "broken \uD83C")))
                .isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UTF8));
        assertThatThrownBy(() -> CODEC.encode(new Reply.Users(RequestId.of("s"), List.of("\uDF89"))))
                .isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UTF8));
    }

    @Test
    void writesHistoryLineTimesInTheCodecsZoneAndNowhereElse() {
        Instant at = Instant.parse("2026-11-29T14:15:29.500Z");
        Reply.History history = new Reply.History(RequestId.NONE, "lobby",
                List.of(new StoredMessage(MessageId.of(1), "lobby", "Alice", "hi", at)), true);
        JsonCodec kolkata = JsonCodec.create(Limits.DEFAULTS, ZoneId.of("Asia/Kolkata"));
        JsonCodec systemZone = JsonCodec.create(Limits.DEFAULTS);
        String systemClock = Wire.HISTORY_LINE_TIME.format(at.atZone(ZoneId.systemDefault()));

        assertThat(CODEC.encode(history).toUtf8()).contains("\"data\":\"[14:15:29] Alice: hi\"");
        assertThat(kolkata.encode(history).toUtf8()).contains("\"data\":\"[19:45:29] Alice: hi\"");
        assertThat(systemZone.encode(history).toUtf8()).contains("\"data\":\"[" + systemClock + "] Alice: hi\"");
        // The zone only changes the human-readable data: typed times are UTC instants.
        Reply.History withId = new Reply.History(RequestId.of("z"), "lobby", history.messages(), true);
        assertThat(kolkata.encode(withId).toUtf8()).contains("\"time\":\"2026-11-29T14:15:29.500Z\"");
        assertThat(kolkata.decode(kolkata.encode(withId))).isEqualTo(withId);
    }

    @Test
    void encodesAndDecodesFromManyThreadsAtOnce() throws Exception {
        List<ChatMessage> samples = SampleMessages.all();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int task = 0; task < 8; task++) {
                results.add(executor.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (ChatMessage message : samples) {
                            if (!CODEC.decode(CODEC.encode(message)).equals(message)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }
}
