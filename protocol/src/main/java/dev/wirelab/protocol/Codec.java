package dev.wirelab.protocol;

/**
 * Turns chat messages into frames and back. A codec is pure (no I/O), stateless and thread-safe;
 * it names the {@link Framing} that carries its frames on a byte stream, so a transport can cut the
 * stream without knowing the format.
 *
 * <p>To add a codec, implement this interface in a module of its own and run
 * {@code dev.wirelab.testkit.CodecContract} against it (see {@code docs/architecture.md}).
 */
public interface Codec {

    /** A short lower-case name for command lines and reports: {@code json}, {@code protobuf}. */
    String name();

    /** How this codec's frames are delimited on a byte stream. */
    Framing framing();

    /**
     * Encodes one message.
     *
     * @throws CodecException if the message cannot be expressed in this format
     */
    Frame encode(ChatMessage message);

    /**
     * Decodes one frame.
     *
     * @throws CodecException with an {@link ErrorCode} saying what is wrong with the frame, and the
     *                        request id if it could be read; the codec is ready for the next frame
     */
    ChatMessage decode(Frame frame);
}
