package dev.wirelab.transport.udp;

import java.util.Arrays;
import java.util.Optional;

/**
 * The payloads of the handshake datagrams, behind a {@link PacketHeader}. Pure.
 *
 * <pre>
 * HELLO   (client to server; header id = the client's random nonce)
 *         +-------------+---------------------+--------------------------------+
 *         | cookie len  | cookie (0 or 20)    | zero padding up to 1200 bytes  |
 *         +-------------+---------------------+--------------------------------+
 * COOKIE  (server to client; header id = the nonce of the HELLO it answers)
 *         +---------------------------------------------+
 *         | cookie (20): bucket (4) + HMAC tag (16)     |   36 bytes in all
 *         +---------------------------------------------+
 * ACCEPT  (server to client; header id = the new connection id)
 *         +---------------------------------------------+
 *         | nonce of the HELLO it answers (8)           |   24 bytes in all
 *         +---------------------------------------------+
 * </pre>
 *
 * <p>A HELLO is padded to {@link #HELLO_MIN_BYTES} (or the datagram limit, if that is smaller) so
 * that no reply before validation can be larger than the request: COOKIE is 36 bytes and ACCEPT
 * 24, far under the 3x of RFC 9000 §8.1.
 */
final class HandshakeMessages {

    /** Smallest HELLO a listener answers: the QUIC Initial floor (RFC 9000 §14.1). */
    static final int HELLO_MIN_BYTES = 1200;

    private HandshakeMessages() {
    }

    /** The size a HELLO is padded to, and the least a listener accepts, under a datagram limit. */
    static int helloBytes(int maxDatagramBytes) {
        return Math.min(HELLO_MIN_BYTES, maxDatagramBytes);
    }

    /** A HELLO datagram for {@code nonce}, carrying {@code cookie} if present, padded to {@code size} bytes. */
    static byte[] hello(long nonce, Optional<byte[]> cookie, int size) {
        byte[] body = cookie.map(c -> {
            byte[] b = new byte[1 + c.length];
            b[0] = (byte) c.length;
            System.arraycopy(c, 0, b, 1, c.length);
            return b;
        }).orElse(new byte[1]);
        int padding = Math.max(0, size - PacketHeader.BYTES - body.length);
        return PacketHeader.encode(PacketHeader.Type.HELLO, nonce, body, 0, body.length, padding);
    }

    /** What a HELLO payload carries. */
    sealed interface Hello {
        /** A first HELLO: asks for a cookie. */
        record WithoutCookie() implements Hello {
        }

        /** A second HELLO: returns a cookie. */
        record WithCookie(byte[] cookie) implements Hello {
        }

        /** Not a HELLO wirelab sends. */
        record Malformed() implements Hello {
        }
    }

    static Hello parseHello(byte[] datagram, int offset, int length) {
        if (length < 1) {
            return new Hello.Malformed();
        }
        int cookieLength = datagram[offset] & 0xFF;
        if (cookieLength == 0) {
            return new Hello.WithoutCookie();
        }
        if (cookieLength != CookieJar.COOKIE_BYTES || length < 1 + cookieLength) {
            return new Hello.Malformed();
        }
        return new Hello.WithCookie(Arrays.copyOfRange(datagram, offset + 1, offset + 1 + cookieLength));
    }

    static byte[] cookie(long nonce, byte[] cookie) {
        return PacketHeader.encode(PacketHeader.Type.COOKIE, nonce, cookie);
    }

    /** The cookie in a COOKIE payload, if it is one. */
    static Optional<byte[]> parseCookie(byte[] datagram, int offset, int length) {
        if (length != CookieJar.COOKIE_BYTES) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(datagram, offset, offset + length));
    }

    static byte[] accept(long connectionId, long nonce) {
        byte[] body = new byte[8];
        PacketHeader.putLong(body, 0, nonce);
        return PacketHeader.encode(PacketHeader.Type.ACCEPT, connectionId, body);
    }

    /** The nonce an ACCEPT payload echoes, if it is one. */
    static Optional<Long> parseAccept(byte[] datagram, int offset, int length) {
        if (length != 8) {
            return Optional.empty();
        }
        return Optional.of(PacketHeader.getLong(datagram, offset));
    }
}
