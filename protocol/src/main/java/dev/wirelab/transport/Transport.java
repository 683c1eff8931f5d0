package dev.wirelab.transport;

import dev.wirelab.protocol.Framing;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * A way to move frames between a client and a server: TCP, UDP or in-memory.
 *
 * <p>The {@link Framing} comes from the codec: a stream transport uses it to cut frames out of
 * its bytes and enforces its frame limit; a datagram transport uses only the limit. To add a
 * transport, implement this interface in a module of its own and run
 * {@code dev.wirelab.testkit.TransportContract} against it (see {@code docs/architecture.md}).
 *
 * <p>Thread-safe: one transport may listen and connect many times at once.
 */
public interface Transport {

    /** A short lower-case name for command lines and reports: {@code tcp}, {@code udp}, {@code memory}. */
    String name();

    /**
     * Starts accepting peers at {@code local} (port 0 picks a free port), handing each to
     * {@code handler} on a virtual thread of its own.
     */
    Listener listen(SocketAddress local, Framing framing, ConnectionHandler handler) throws IOException;

    /** Connects to a listening peer. */
    Connection connect(SocketAddress remote, Framing framing) throws IOException;
}
