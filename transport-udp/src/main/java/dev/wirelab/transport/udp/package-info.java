/**
 * The UDP transport: frames over datagrams with the delivery each frame asks for, in two halves
 * that know each other only through a four-method interface.
 *
 * <p><b>The socket half</b> ({@link dev.wirelab.transport.udp.UdpTransport} and its
 * package-private {@code Udp*}, {@code Handshake*}, {@code Cookie*} and {@code PacketHeader}
 * classes) owns the sockets. Every datagram starts with a 16-byte header (magic {@code "WL"},
 * version, type, a 64-bit connection id, a CRC-32C) and stays within
 * {@link dev.wirelab.protocol.Limits#udpMaxDatagramBytes()} (1200 by default); it is received into
 * a buffer one byte larger, so a datagram the kernel cut short is recognised and dropped. A
 * stateless cookie handshake (HELLO padded to 1200 bytes, COOKIE = a truncated HMAC of the
 * client's address, port, nonce and a 30-second time bucket, HELLO returning the cookie, ACCEPT
 * with a random connection id) validates the client's address before the server keeps any state
 * or sends anything but a small, rate-limited COOKIE: no amplification, no state for spoofed
 * sources. Bad input of any kind gets no reply at all and is counted by reason
 * ({@link dev.wirelab.transport.udp.UdpDrop}, {@link dev.wirelab.transport.udp.UdpCounters}).
 * Each socket has one receive loop on a virtual thread that demultiplexes by connection id; each
 * {@link dev.wirelab.transport.udp.UdpConnection} has a timer virtual thread driven by the
 * engine's next deadline, an idle timeout (10 s; the engine sends keepalives every second) and an
 * explicit CLOSE, sent once everything sent is acknowledged and counting what was sent, so the peer
 * reads every frame before the end or learns it lost some. An optional {@link dev.wirelab.transport.Impairment} is applied to every datagram
 * a socket sends, through a {@link dev.wirelab.transport.LinkModel}, so a lossy, slow, duplicating
 * or corrupting network can be replayed from a seed. The wire format is specified in
 * {@code docs/protocol-udp.md}.
 *
 * <p><b>The engine half</b> ({@link dev.wirelab.transport.udp.ReliableEngine},
 * {@link dev.wirelab.transport.udp.EngineConfig} and their helpers) is a pure, single-threaded
 * state machine per connection: messages in through {@code send}, engine packets in through
 * {@code receive}, time in through {@code tick}, packets and delivered messages out through
 * {@link dev.wirelab.transport.udp.EngineOutput}. It numbers packets without reuse, acknowledges
 * with ranges, detects loss per RFC 9002, estimates RTT per RFC 6298, repairs every gap, applies
 * flow and congestion control, fragments and reassembles messages, suppresses duplicates and
 * orders per channel, under named profiles ({@code quic-like}, {@code tcp-like},
 * {@code kcp-default}, {@code kcp-nocc}, {@code kcp-turbo}). It never sees a socket or a clock of
 * its own, so it is tested deterministically without either.
 *
 * <p>Threads: the engine is called under its connection's
 * {@link java.util.concurrent.locks.ReentrantLock}, never {@code synchronized}; no lock is held
 * while a datagram is sent. Public types are the transport, its options and counters, the
 * connection, and the engine's API; everything else is package-private.
 */
package dev.wirelab.transport.udp;
