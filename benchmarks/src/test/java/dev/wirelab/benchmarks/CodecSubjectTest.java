package dev.wirelab.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.Delivery;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmarks compare like with like: the raw baselines write the codecs' very bytes. */
class CodecSubjectTest {

    @ParameterizedTest
    @CsvSource({"request,small", "request,medium", "request,large", "reply,small", "reply,medium", "reply,large",
            "event,small", "event,medium", "event,large"})
    void rawJacksonWritesTheJsonCodecsBytes(String kind, String size) {
        ChatMessage message = ChatSamples.message(kind, size);
        Frame codec = CodecSubject.codec(CodecSubject.JSON).encode(message);
        CodecSubject.RawJackson raw = (CodecSubject.RawJackson) CodecSubject.create(CodecSubject.RAW_JACKSON, message);

        assertThat(raw.bytes()).isEqualTo(codec.bytes());
        assertThat(raw.encode()).isEqualTo(codec.bytes());
        assertThat(raw.decode()).isNotNull();
        assertThat(codec.length()).isLessThanOrEqualTo(CodecSubject.codec(CodecSubject.JSON).framing().maxFrameBytes());
    }

    @ParameterizedTest
    @CsvSource({"request,small", "request,large", "reply,small", "reply,large", "event,small", "event,large"})
    void rawProtobufWritesTheProtobufCodecsBytes(String kind, String size) {
        ChatMessage message = ChatSamples.message(kind, size);
        Frame codec = CodecSubject.codec(CodecSubject.PROTOBUF).encode(message);
        CodecSubject.RawProtobuf raw = (CodecSubject.RawProtobuf) CodecSubject.create(CodecSubject.RAW_PROTOBUF, message);

        assertThat(raw.bytes()).isEqualTo(codec.bytes());
        assertThat(raw.encode()).isEqualTo(codec.bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {CodecSubject.JSON, CodecSubject.PROTOBUF})
    void codecSubjectsRoundTripAndReportTheirSize(String name) {
        ChatMessage message = ChatSamples.message("event", "medium");
        CodecSubject subject = CodecSubject.create(name, message);

        assertThat(subject.decode()).isEqualTo(message);
        assertThat(subject.encodedBytes()).isEqualTo(((Frame) subject.encode()).length());
    }

    @ParameterizedTest
    @CsvSource({"json,64", "json,1024", "protobuf,64", "protobuf,1024"})
    void roundTripRequestsHaveTheirNominalSize(String name, int bytes) {
        Codec codec = CodecSubject.codec(name);
        String text = RoundTripBenchmark.paddedText(codec, bytes);

        assertThat(codec.encode(new Request.Echo(RequestId.of("10000001"), text)).length()).isEqualTo(bytes);
        assertThat(codec.encode(new Request.Echo(RequestId.of("99999999"), text)).length()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"tcp,false,RELIABLE_ORDERED", "udp-unreliable,true,UNRELIABLE", "udp-sequenced,true,SEQUENCED",
            "udp-reliable,true,RELIABLE", "udp-reliable-ordered,true,RELIABLE_ORDERED"})
    void linksParse(String name, boolean udp, Delivery delivery) {
        assertThat(Link.parse(name)).isEqualTo(new Link(name, udp, delivery));
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "sctp", "udp-fast"})
    void unknownLinksAreRefused(String name) {
        assertThatThrownBy(() -> Link.parse(name)).isInstanceOf(IllegalArgumentException.class);
    }
}
