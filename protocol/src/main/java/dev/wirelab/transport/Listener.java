package dev.wirelab.transport;

import java.net.SocketAddress;

/** A transport listening for peers. Closing it stops accepting; open connections live on. */
public interface Listener extends AutoCloseable {

    /** The address really bound: the port chosen by the system when port 0 was asked for. */
    SocketAddress localAddress();

    /** Stops accepting new peers. Idempotent. */
    @Override
    void close();
}
