package dev.wirelab.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.wirelab.codec.json.JsonCodec;
import dev.wirelab.codec.protobuf.ProtobufCodec;
import dev.wirelab.codec.protobuf.wire.Envelope;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;

/**
 * One thing that turns a message into bytes and back: a wirelab codec, or the raw library under it
 * applied to an equivalent object. Built once per trial; {@link #encode()} and {@link #decode()} work
 * on the same message every time.
 */
sealed interface CodecSubject {

    /** The names {@link CodecBenchmark} takes as its {@code codec} parameter. */
    String JSON = "json";
    String PROTOBUF = "protobuf";
    String RAW_JACKSON = "raw-jackson";
    String RAW_PROTOBUF = "raw-protobuf";

    /** Encodes the message; the result is the frame or the bytes. */
    Object encode();

    /** Decodes the bytes {@link #encode()} produced. */
    Object decode();

    /** Bytes of the encoded message. */
    int encodedBytes();

    /** The wirelab codec of that name, as the transports use it: default limits, UTC for history lines. */
    static Codec codec(String name) {
        return switch (name) {
            case JSON -> JsonCodec.create(Limits.DEFAULTS, ZoneOffset.UTC);
            case PROTOBUF -> ProtobufCodec.create(Limits.DEFAULTS);
            default -> throw new IllegalArgumentException("unknown codec '" + name + "': json or protobuf");
        };
    }

    /**
     * The subject named {@code name} for {@code message}. The raw subjects start from the wirelab
     * codec's own bytes, so the object they encode is equivalent by construction (the tests check
     * the bytes are the same).
     */
    static CodecSubject create(String name, ChatMessage message) {
        return switch (name) {
            case JSON, PROTOBUF -> new Wirelab(codec(name), message);
            case RAW_JACKSON -> new RawJackson(codec(JSON).encode(message).bytes());
            case RAW_PROTOBUF -> new RawProtobuf(codec(PROTOBUF).encode(message).bytes());
            default -> throw new IllegalArgumentException(
                    "unknown codec '" + name + "': json, protobuf, raw-jackson or raw-protobuf");
        };
    }

    /** A wirelab {@link Codec}: records in, frames out, with the codec's validation and limits. */
    final class Wirelab implements CodecSubject {
        private final Codec codec;
        private final ChatMessage message;
        private final Frame frame;

        Wirelab(Codec codec, ChatMessage message) {
            this.codec = codec;
            this.message = message;
            this.frame = codec.encode(message);
            if (!codec.decode(frame).equals(message)) {
                throw new IllegalStateException(codec.name() + " does not round-trip " + message);
            }
        }

        @Override
        public Frame encode() {
            return codec.encode(message);
        }

        @Override
        public ChatMessage decode() {
            return codec.decode(frame);
        }

        @Override
        public int encodedBytes() {
            return frame.length();
        }
    }

    /**
     * Jackson databind, the usual choice, on a record shaped like the JSON codec's wire form
     * ({@link RawJson}): no validation, times kept as strings.
     */
    final class RawJackson implements CodecSubject {
        private final ObjectMapper mapper = new ObjectMapper();
        private final Class<?> type;
        private final Object value;
        private final byte[] bytes;

        RawJackson(byte[] wirelabBytes) {
            try {
                this.type = RawJson.typeOf(mapper.readTree(wirelabBytes));
                this.value = mapper.readValue(wirelabBytes, type);
                this.bytes = mapper.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] encode() {
            try {
                return mapper.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Object decode() {
            try {
                return mapper.readValue(bytes, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int encodedBytes() {
            return bytes.length;
        }

        byte[] bytes() {
            return bytes.clone();
        }
    }

    /**
     * protobuf-java alone on the generated {@link Envelope}, already built: the codec's mapping from
     * records to envelopes (and back) is what this leaves out.
     */
    final class RawProtobuf implements CodecSubject {
        private final Envelope envelope;
        private final byte[] bytes;

        RawProtobuf(byte[] wirelabBytes) {
            try {
                this.envelope = Envelope.parseFrom(wirelabBytes);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            this.bytes = envelope.toByteArray();
        }

        @Override
        public byte[] encode() {
            return envelope.toByteArray();
        }

        @Override
        public Envelope decode() {
            try {
                return Envelope.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int encodedBytes() {
            return bytes.length;
        }

        byte[] bytes() {
            return bytes.clone();
        }
    }
}
