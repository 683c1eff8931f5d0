package dev.wirelab.transport.tcp;

import dev.wirelab.protocol.Framing;
import dev.wirelab.transport.ConnectionHandler;
import dev.wirelab.transport.Listener;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bound {@link ServerSocket} and its accept loop, on a platform thread of its own. Each accepted
 * socket goes to {@link TcpTransport#accepted}, which serves it on a virtual thread. Closing the
 * listener closes the server socket, which ends the loop; accepted connections live on.
 *
 * <p>Thread-safe: {@link #close} may be called from any thread, any number of times; it returns
 * once the port no longer accepts.
 */
final class TcpListener implements Listener {

    private static final System.Logger LOG = System.getLogger(TcpListener.class.getName());
    /** Pause after a failed accept (such as "too many open files"), so the loop does not spin. */
    private static final long ACCEPT_BACKOFF_MILLIS = 50;
    /** How long {@link #close} waits for the accept loop to leave {@code accept()}. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final TcpTransport transport;
    private final ServerSocket server;
    private final Framing framing;
    private final ConnectionHandler handler;
    private final SocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptThread;

    TcpListener(TcpTransport transport, ServerSocket server, Framing framing, ConnectionHandler handler) {
        this.transport = transport;
        this.server = server;
        this.framing = framing;
        this.handler = handler;
        this.address = server.getLocalSocketAddress();
        this.acceptThread = Thread.ofPlatform().daemon().name("wirelab-tcp-accept-" + server.getLocalPort())
                .unstarted(this::acceptLoop);
    }

    void start() {
        acceptThread.start();
    }

    @Override
    public SocketAddress localAddress() {
        return address;
    }

    /**
     * Closes the server socket and waits (briefly) for the accept loop to end: the kernel keeps a
     * socket listening while a thread is still inside {@code accept()}, so returning earlier would
     * let a connect succeed after {@code close()}.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the listener at {0} failed: {1}", address, e);
            }
        }
        if (Thread.currentThread() != acceptThread) {
            try {
                if (!acceptThread.join(CLOSE_WAIT)) {
                    LOG.log(System.Logger.Level.WARNING, "the accept loop at {0} did not end within {1}", address, CLOSE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the accept loop is still running; for tests. */
    boolean accepting() {
        return acceptThread.isAlive();
    }

    @Override
    public String toString() {
        return "TcpListener[" + address + "]";
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed.get() || server.isClosed()) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "accept failed on " + address + "; retrying", e);
                try {
                    Thread.sleep(ACCEPT_BACKOFF_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            transport.accepted(socket, framing, handler);
        }
    }
}
