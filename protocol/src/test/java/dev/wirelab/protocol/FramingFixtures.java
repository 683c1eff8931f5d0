package dev.wirelab.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Bytes and feeding patterns shared by the framing tests. A decoder is always fed from a fresh
 * array, so nothing here depends on a socket.
 */
final class FramingFixtures {

    private FramingFixtures() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] filled(int length, char value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** A 4-byte big-endian length prefix holding {@code length} as an unsigned 32-bit value. */
    static byte[] prefix(long length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] everyByteValue() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** The wire bytes of {@code frames}, one after the other. */
    static byte[] encodeAll(Framing framing, List<Frame> frames) throws FrameTooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            out.writeBytes(framing.encode(frame));
        }
        return out.toByteArray();
    }

    static List<Decoded> completes(List<Frame> frames) {
        return frames.stream().<Decoded>map(Decoded.Complete::new).toList();
    }

    static Decoded complete(String utf8) {
        return new Decoded.Complete(Frame.ofUtf8(utf8));
    }

    /** A fresh decoder fed {@code wire} in one read. */
    static List<Decoded> decodeWhole(Framing framing, byte[] wire) {
        return framing.newDecoder().feed(wire.clone());
    }

    /**
     * A fresh decoder fed {@code wire} in reads that end at the given ascending offsets, and one
     * last read for the rest. Every read passes the whole array with an offset and a length.
     */
    static List<Decoded> decodeWithCuts(Framing framing, byte[] wire, int... cuts) {
        return feedWithCuts(framing.newDecoder(), wire, cuts);
    }

    static List<Decoded> feedWithCuts(FrameDecoder decoder, byte[] wire, int... cuts) {
        byte[] copy = wire.clone();
        List<Decoded> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.addAll(decoder.feed(copy, from, cut - from));
            from = cut;
        }
        out.addAll(decoder.feed(copy, from, copy.length - from));
        return out;
    }

    /** Feeds one byte per read, each from a new one-byte array (Okio's ONE_BYTE_AT_A_TIME). */
    static List<Decoded> feedOneByteAtATime(FrameDecoder decoder, byte[] wire, Consumer<FrameDecoder> afterEachByte) {
        List<Decoded> out = new ArrayList<>();
        for (byte b : wire) {
            out.addAll(decoder.feed(new byte[] {b}));
            afterEachByte.accept(decoder);
        }
        return out;
    }

    static List<Decoded> decodeOneByteAtATime(Framing framing, byte[] wire) {
        return feedOneByteAtATime(framing.newDecoder(), wire, decoder -> { });
    }

    /** Ascending cut offsets giving reads of 1 to {@code maxChunk} bytes. */
    static int[] randomCuts(Random random, int length, int maxChunk) {
        List<Integer> cuts = new ArrayList<>();
        int at = 1 + random.nextInt(maxChunk);
        while (at < length) {
            cuts.add(at);
            at += 1 + random.nextInt(maxChunk);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }
}
