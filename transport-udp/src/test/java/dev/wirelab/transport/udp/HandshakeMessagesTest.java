package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandshakeMessagesTest {

    private static final long NONCE = 0xFEED_FACE_0000_0001L;

    private static PacketHeader.Parsed header(byte[] datagram) {
        PacketHeader.Result result = PacketHeader.parse(datagram, datagram.length);
        assertThat(result).isInstanceOf(PacketHeader.Result.Ok.class);
        return ((PacketHeader.Result.Ok) result).parsed();
    }

    @Test
    void aHelloIsPaddedToTwelveHundredBytesWithOrWithoutACookie() {
        byte[] first = HandshakeMessages.hello(NONCE, Optional.empty(), 1200);
        byte[] second = HandshakeMessages.hello(NONCE, Optional.of(new byte[CookieJar.COOKIE_BYTES]), 1200);

        assertThat(first).hasSize(1200);
        assertThat(second).hasSize(1200);
        assertThat(header(first).type()).isEqualTo(PacketHeader.Type.HELLO);
        assertThat(header(first).connectionId()).isEqualTo(NONCE);
    }

    @Test
    void theHelloSizeIsTheQuicFloorOrTheDatagramLimitIfSmaller() {
        assertThat(HandshakeMessages.helloBytes(1200)).isEqualTo(1200);
        assertThat(HandshakeMessages.helloBytes(1472)).isEqualTo(1200);
        assertThat(HandshakeMessages.helloBytes(576)).isEqualTo(576);
    }

    @Test
    void aHelloCarriesItsCookieBackUnchanged() {
        byte[] cookie = new byte[CookieJar.COOKIE_BYTES];
        for (int i = 0; i < cookie.length; i++) {
            cookie[i] = (byte) (i * 7 + 1);
        }
        byte[] hello = HandshakeMessages.hello(NONCE, Optional.of(cookie), 1200);
        PacketHeader.Parsed header = header(hello);

        HandshakeMessages.Hello parsed = HandshakeMessages.parseHello(hello, header.payloadOffset(), header.payloadLength());

        assertThat(parsed).isInstanceOf(HandshakeMessages.Hello.WithCookie.class);
        assertThat(((HandshakeMessages.Hello.WithCookie) parsed).cookie()).isEqualTo(cookie);
        byte[] first = HandshakeMessages.hello(NONCE, Optional.empty(), 1200);
        assertThat(HandshakeMessages.parseHello(first, 16, first.length - 16))
                .isInstanceOf(HandshakeMessages.Hello.WithoutCookie.class);
    }

    @Test
    void aHelloWithACookieOfAnotherLengthIsMalformed() {
        byte[] hello = HandshakeMessages.hello(NONCE, Optional.of(new byte[19]), 1200);

        assertThat(HandshakeMessages.parseHello(hello, 16, hello.length - 16))
                .isInstanceOf(HandshakeMessages.Hello.Malformed.class);
        assertThat(HandshakeMessages.parseHello(hello, 16, 0)).isInstanceOf(HandshakeMessages.Hello.Malformed.class);
    }

    @Test
    void theRepliesBeforeValidationAreFarSmallerThanTheHello() {
        byte[] cookie = HandshakeMessages.cookie(NONCE, new byte[CookieJar.COOKIE_BYTES]);
        byte[] accept = HandshakeMessages.accept(99, NONCE);

        assertThat(cookie).hasSize(36);
        assertThat(accept).hasSize(24);
        assertThat(cookie.length * 3).isLessThan(HandshakeMessages.HELLO_MIN_BYTES);
    }

    @Test
    void cookieAndAcceptParseBack() {
        byte[] cookieBytes = new byte[CookieJar.COOKIE_BYTES];
        cookieBytes[5] = 5;
        byte[] cookie = HandshakeMessages.cookie(NONCE, cookieBytes);
        byte[] accept = HandshakeMessages.accept(99, NONCE);

        assertThat(HandshakeMessages.parseCookie(cookie, 16, cookie.length - 16)).hasValueSatisfying(
                c -> assertThat(c).isEqualTo(cookieBytes));
        assertThat(HandshakeMessages.parseAccept(accept, 16, 8)).contains(NONCE);
        assertThat(header(accept).connectionId()).isEqualTo(99);
        assertThat(HandshakeMessages.parseCookie(cookie, 16, 19)).isEmpty();
        assertThat(HandshakeMessages.parseAccept(accept, 16, 7)).isEmpty();
    }
}
