package dev.wirelab.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.ConnectionHandler;
import dev.wirelab.transport.Listener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limits the TCP reader and writer enforce, probed with raw {@link Socket} clients that
 * misbehave on purpose, against a server whose handler records everything it sees. Limits are
 * shrunk (1 KiB frames, 500 ms to finish a frame, 1.5 s idle, 1 s per write) so nothing waits
 * long; time bounds are generous, never exact.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpLimitsIT {

    private static final int MAX_FRAME = 1024;
    private static final Limits LIMITS = Limits.DEFAULTS.withMaxFrameBytes(MAX_FRAME).withTimeouts(
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(15));
    private static final long WAIT_SECONDS = 10;

    private final TcpTransport transport = TcpTransport.create(LIMITS);
    private final Recorder recorder = new Recorder();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        Await.until("every server connection is closed", () -> transport.openConnections() == 0);
    }

    // ---------------------------------------------------------------------------------- framing

    @Test
    void aValidLineWrittenOneByteAtATimeArrivesAsOneFrame() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);
        raw.setTcpNoDelay(true);
        OutputStream out = raw.getOutputStream();

        for (byte b : "{\"type\":\"hello\"}\n".getBytes(StandardCharsets.UTF_8)) {
            out.write(b);
            out.flush();
        }
        raw.shutdownOutput();

        Session session = recorder.next();
        assertThat(session.next()).isEqualTo(Frame.ofUtf8("{\"type\":\"hello\"}"));
        assertThat(session.end().reason()).isEqualTo(CloseReason.PEER_CLOSED);
    }

    @Test
    void severalFramesInOneWriteArriveInOrder() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);

        raw.getOutputStream().write("one\ntwo\r\nthree\n".getBytes(StandardCharsets.UTF_8));

        Session session = recorder.next();
        assertThat(session.next()).isEqualTo(Frame.ofUtf8("one"));
        assertThat(session.next()).isEqualTo(Frame.ofUtf8("two"));
        assertThat(session.next()).isEqualTo(Frame.ofUtf8("three"));
    }

    @Test
    void aTerminatedOversizeLineIsReportedAndTheNextLineStillArrives() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);

        raw.getOutputStream().write(("x".repeat(2000) + "\nnext\n").getBytes(StandardCharsets.UTF_8));

        Session session = recorder.next();
        Object oversize = session.next();
        assertThat(oversize).isInstanceOf(FrameTooLargeException.class);
        assertThat(((FrameTooLargeException) oversize).length()).isEqualTo(2000);
        assertThat(((FrameTooLargeException) oversize).limit()).isEqualTo(MAX_FRAME);
        assertThat(session.next()).isEqualTo(Frame.ofUtf8("next"));
        assertThat(session.connection.isClosed()).isFalse();
    }

    @Test
    void anUnterminatedOversizeStreamClosesTheConnectionWithoutBeingBuffered() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);
        byte[] flood = new byte[64 * 1024];
        Arrays.fill(flood, (byte) 'y');

        try {
            raw.getOutputStream().write(flood);
        } catch (IOException e) {
            // the server may already have closed: a reset or a broken pipe is the point
        }

        assertThat(readsToTheEnd(raw)).isTrue();
        Session session = recorder.next();
        assertThat(session.next()).as("reported once as too large, so a handler can say so")
                .isInstanceOfSatisfying(FrameTooLargeException.class,
                        e -> assertThat(e.length()).isGreaterThan(Framing.lines(MAX_FRAME).discardLimit()));
        assertThat(session.end().reason()).isEqualTo(CloseReason.PROTOCOL_VIOLATION);
        assertThat(session.end()).hasMessageContaining("line of more than");
        long discardLimit = Framing.lines(MAX_FRAME).discardLimit();
        assertThat(session.connection.stats().bytesIn())
                .as("the server stops reading soon after the discard limit")
                .isLessThanOrEqualTo(discardLimit + 2L * FrameReader.READ_BUFFER_BYTES)
                .isLessThan(flood.length);
    }

    @Test
    void anAbsurdLengthPrefixClosesTheConnectionAtOnce() throws Exception {
        Listener listener = listen(Framing.lengthPrefixed(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);

        raw.getOutputStream().write(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});

        assertThat(readsToTheEnd(raw)).isTrue();
        assertThat(recorder.next().end().reason()).isEqualTo(CloseReason.PROTOCOL_VIOLATION);
    }

    // ---------------------------------------------------------------------------------- deadlines

    @Test
    void aHalfLineThenSilenceIsClosedAfterTheLineCompletionDeadline() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);
        long start = System.nanoTime();

        raw.getOutputStream().write("{\"type\":\"post\",\"te".getBytes(StandardCharsets.UTF_8));

        assertThat(readsToTheEnd(raw)).isTrue();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ConnectionClosedException end = recorder.next().end();
        assertThat(end.reason()).isEqualTo(CloseReason.PROTOCOL_VIOLATION);
        assertThat(end).hasMessage("frame not completed within 500 ms of its first byte");
        assertThat(elapsedMillis).isBetween(450L, WAIT_SECONDS * 1000);
    }

    @Test
    void anOversizeLineLeftUnfinishedIsAlsoClosedByTheLineCompletionDeadline() throws Exception {
        // While an oversize line is skipped nothing is buffered, yet the line has started.
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);

        raw.getOutputStream().write("z".repeat(3 * MAX_FRAME).getBytes(StandardCharsets.US_ASCII));

        assertThat(readsToTheEnd(raw)).isTrue();
        ConnectionClosedException end = recorder.next().end();
        assertThat(end.reason()).isEqualTo(CloseReason.PROTOCOL_VIOLATION);
        assertThat(end).hasMessageContaining("frame not completed");
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        long start = System.nanoTime();
        Socket raw = rawClient(listener);

        assertThat(readsToTheEnd(raw)).isTrue();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ConnectionClosedException end = recorder.next().end();
        assertThat(end.reason()).isEqualTo(CloseReason.LOST);
        assertThat(end).hasMessage("idle for 1.5 s");
        assertThat(elapsedMillis).isBetween(1400L, WAIT_SECONDS * 1000);
    }

    @Test
    void wholeFramesKeepAConnectionAliveAsLongAsTheyCome() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);
        OutputStream out = raw.getOutputStream();
        Session session = null;
        long start = System.nanoTime();
        int sent = 0;

        // Traffic for longer than the idle timeout, each frame sent once the server has the previous one.
        while (System.nanoTime() - start < LIMITS.idleTimeout().plusMillis(300).toNanos()) {
            out.write(("ping " + sent + "\n").getBytes(StandardCharsets.US_ASCII));
            session = session == null ? recorder.next() : session;
            assertThat(session.next()).isEqualTo(Frame.ofUtf8("ping " + sent));
            sent++;
        }

        assertThat(session.connection.isClosed()).isFalse();
    }

    @Test
    void aHalfFrameThenCloseIsAProtocolViolation() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);

        raw.getOutputStream().write("{\"type\":\"po".getBytes(StandardCharsets.UTF_8));
        raw.shutdownOutput();

        ConnectionClosedException end = recorder.next().end();
        assertThat(end.reason()).isEqualTo(CloseReason.PROTOCOL_VIOLATION);
        assertThat(end).hasMessageContaining("ended inside a line");
    }

    @Test
    void aHalfLengthPrefixedFrameThenCloseIsAProtocolViolation() throws Exception {
        Listener listener = listen(Framing.lengthPrefixed(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);

        raw.getOutputStream().write(new byte[] {0, 0, 0, 10, 'a', 'b'});
        raw.shutdownOutput();

        ConnectionClosedException end = recorder.next().end();
        assertThat(end.reason()).isEqualTo(CloseReason.PROTOCOL_VIOLATION);
        assertThat(end).hasMessageContaining("ended inside a frame");
    }

    @Test
    void aClientThatResetsEndsTheConnectionLostOrPeerClosedNeverAHang() throws Exception {
        Listener listener = listen(Framing.lines(MAX_FRAME), recorder);
        Socket raw = rawClient(listener);
        raw.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
        Session session = recorder.next();
        assertThat(session.next()).isEqualTo(Frame.ofUtf8("first"));

        raw.setSoLinger(true, 0);
        raw.close();

        assertThat(session.end().reason()).isIn(CloseReason.LOST, CloseReason.PEER_CLOSED);
    }

    // ---------------------------------------------------------------------------------- slow consumers

    @Test
    void aPeerThatNeverReadsIsClosedByTheWriteDeadlineWhileOthersKeepReceiving() throws Exception {
        BlockingQueue<Object> slowEnd = new LinkedBlockingQueue<>();
        AtomicLong slowBytes = new AtomicLong();
        long attempt = 64L * 1024 * 1024;
        Listener listener = listen(Framing.lines(MAX_FRAME), connection -> {
            Frame hello = connection.receive();
            if (hello.toUtf8().equals("slow")) {
                Frame filler = Frame.ofUtf8("f".repeat(1000));
                try {
                    while (slowBytes.get() < attempt) {
                        connection.send(filler);
                        slowBytes.addAndGet(1001);
                    }
                    slowEnd.add("sent everything: the writes never blocked");
                } catch (IOException e) {
                    slowEnd.add(e);
                }
            } else {
                connection.send(hello);
                TcpTransportIT.echo(connection);
            }
        });
        Socket slow = rawClient(listener, 4096);
        slow.getOutputStream().write("slow\n".getBytes(StandardCharsets.US_ASCII));
        Connection fast = track(transport.connect(listener.localAddress(), Framing.lines(MAX_FRAME)));
        fast.send(Frame.ofUtf8("fast"));
        assertThat(fast.receive()).isEqualTo(Frame.ofUtf8("fast"));
        Await.until("the server has started flooding the slow peer", () -> slowBytes.get() > 0);

        int echoes = 0;
        while (slowEnd.isEmpty()) {
            Frame frame = Frame.ofUtf8("echo " + echoes);
            fast.send(frame);
            assertThat(fast.receive()).isEqualTo(frame);
            echoes++;
        }

        Object end = slowEnd.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(end).isInstanceOf(ConnectionClosedException.class);
        assertThat(((ConnectionClosedException) end).reason()).isEqualTo(CloseReason.LOST);
        assertThat((ConnectionClosedException) end).hasMessage("write blocked for more than 1 s");
        assertThat(slowBytes.get()).as("the writes blocked long before everything was sent").isLessThan(attempt);
        assertThat(echoes).as("echoes to the other client while the slow one was stuck").isGreaterThan(10);
        fast.send(Frame.ofUtf8("after"));
        assertThat(fast.receive()).isEqualTo(Frame.ofUtf8("after"));
    }

    // ---------------------------------------------------------------------------------- helpers

    private Listener listen(Framing framing, ConnectionHandler handler) throws IOException {
        return track(transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), framing, handler));
    }

    private Socket rawClient(Listener listener) throws IOException {
        return rawClient(listener, 0);
    }

    private Socket rawClient(Listener listener, int receiveBufferBytes) throws IOException {
        Socket socket = track(new Socket());
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes); // before connecting, so the window starts small
        }
        SocketAddress address = listener.localAddress();
        socket.connect(address, 5000);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        return socket;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Reads until the server ends the connection: true on EOF or a reset; a timeout fails the test. */
    private static boolean readsToTheEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // discard whatever the server said
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + WAIT_SECONDS + " s", e);
        } catch (IOException e) {
            return true; // connection reset: closed all the same
        }
    }

    /** What the handler saw on one connection: frames and oversize reports in order, then the end. */
    private static final class Session {
        final TcpConnection connection;
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final CompletableFuture<ConnectionClosedException> end = new CompletableFuture<>();

        Session(TcpConnection connection) {
            this.connection = connection;
        }

        Object next() throws InterruptedException {
            Object event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("an event within " + WAIT_SECONDS + " s").isNotNull();
            return event;
        }

        ConnectionClosedException end() throws Exception {
            return end.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Records every connection it serves, reading until the connection ends. */
    private static final class Recorder implements ConnectionHandler {
        private final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();

        @Override
        public void serve(Connection connection) throws IOException {
            Session session = new Session((TcpConnection) connection);
            sessions.add(session);
            try {
                while (true) {
                    try {
                        session.events.add(connection.receive());
                    } catch (FrameTooLargeException e) {
                        session.events.add(e);
                    }
                }
            } catch (ConnectionClosedException e) {
                session.end.complete(e);
            } catch (IOException | RuntimeException e) {
                session.end.completeExceptionally(e);
                throw e;
            }
        }

        Session next() throws InterruptedException {
            Session session = sessions.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(session).as("a connection within " + WAIT_SECONDS + " s").isNotNull();
            return session;
        }
    }
}
