package dev.wirelab.codec.protobuf;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import java.util.Objects;

/**
 * The Protocol Buffers codec: every message is one {@code wirelab.chat.v1.Envelope} of
 * {@code chat.proto}, whose {@code oneof body} names the record, carried in a frame behind a 4-byte
 * big-endian length on streams ({@link Framing#lengthPrefixed(int)}) or as one UDP datagram.
 *
 * <pre>
 * +--------+--------+--------+--------+----------------------------------------+
 * |  length of the envelope, 32-bit BE |  Envelope { request_id = 1; oneof body } |
 * +--------+--------+--------+--------+----------------------------------------+
 * </pre>
 *
 * <p>Decoding checks what proto3 cannot: required text ({@code MISSING_DATA}), the text limit of
 * {@link Limits#maxTextBytes()} ({@code MESSAGE_TOO_LONG}), UTF-8 ({@code INVALID_UTF8}), enum values
 * and ids ({@code INVALID_PARAMS}); anything that is not an envelope of a known kind is
 * {@code INVALID_MESSAGE}. {@code docs/protocol-protobuf.md} describes the wire format.
 *
 * <p>Stateless and immutable: one instance may serve every connection and thread at once.
 */
public final class ProtobufCodec implements Codec {

    private final Limits limits;
    private final Framing framing;
    private final WireDecoder decoder;

    private ProtobufCodec(Limits limits) {
        this.limits = limits;
        this.framing = Framing.lengthPrefixed(limits.maxFrameBytes());
        this.decoder = new WireDecoder(limits);
    }

    /** A codec enforcing {@code limits} (frame size, text size, the default history page). */
    public static ProtobufCodec create(Limits limits) {
        return new ProtobufCodec(Objects.requireNonNull(limits, "limits"));
    }

    @Override
    public String name() {
        return "protobuf";
    }

    /** A 4-byte big-endian length prefix, checked against {@link Limits#maxFrameBytes()} before allocating. */
    @Override
    public Framing framing() {
        return framing;
    }

    @Override
    public Frame encode(ChatMessage message) {
        Objects.requireNonNull(message, "message");
        return new Frame(WireEncoder.encode(message).toByteArray());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only {@link CodecException} ever escapes, whatever the bytes.
     */
    @Override
    public ChatMessage decode(Frame frame) {
        return decoder.decode(frame.bytes());
    }

    @Override
    public String toString() {
        return "ProtobufCodec[maxFrameBytes=" + limits.maxFrameBytes()
                + ", maxTextBytes=" + limits.maxTextBytes() + "]";
    }
}
