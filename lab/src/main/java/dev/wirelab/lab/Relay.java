package dev.wirelab.lab;

import java.net.InetSocketAddress;

/**
 * An impairing relay between real clients and a real server ({@code wirelab impair}): clients talk
 * to {@link #localAddress()}, the relay forwards to the server and back, each direction through its
 * own seeded impairment.
 */
sealed interface Relay extends AutoCloseable permits UdpRelay, TcpRelay {

    /** Where clients connect: the real port when port 0 was asked for. */
    InetSocketAddress localAddress();

    /** One line of counts since the start, for the periodic report. */
    String statusLine();

    /** Stops relaying and closes every socket. Idempotent. */
    @Override
    void close();
}
