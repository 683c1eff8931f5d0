package dev.wirelab.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.ConnectionHandler;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Guarantees;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Transport} must do, written once and run for each of them: the memory
 * transport, TCP (once per framing) and UDP in each reliable delivery mode.
 *
 * <p>A transport's test extends this class and supplies {@link #transport()}; it may override
 * {@link #framing()} to run the same cases over another framing, and {@link #delivery()} when its
 * {@code send(frame)} gives another delivery than {@code RELIABLE_ORDERED}. Every case listens on
 * the loopback address with port 0, carries a time limit, and waits by blocking on a receive or
 * through {@link Await}, never by sleeping.
 *
 * <p>"The limit" in these cases is what the connection itself reports through
 * {@link Connection#guarantees(Delivery)}, so a datagram transport with a smaller frame than the
 * framing's runs the same cases. Likewise the order of frames sent with {@code send(frame)} is
 * asserted only where the connection reports {@code guarantees(delivery()).ordered()}; where it
 * does not (UDP's {@code RELIABLE}), every frame must still arrive exactly once.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class TransportContract {

    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(20);

    private final List<AutoCloseable> resources = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** The transport under test; a new one per test is fine, so is a shared one. */
    protected abstract Transport transport();

    /** The framing both ends use; the default is the binary codecs' length prefix with a 64 KiB limit. */
    protected Framing framing() {
        return Framing.lengthPrefixed(64 * 1024);
    }

    /**
     * The delivery {@code Connection.send(frame)} asks for on this transport: {@code RELIABLE_ORDERED}
     * (the interface's default) unless the transport is configured otherwise. It must be reliable.
     */
    protected Delivery delivery() {
        return Delivery.RELIABLE_ORDERED;
    }

    /** Whether frames sent with {@code send(frame)} on {@code connection} keep their order. */
    protected boolean ordered(Connection connection) {
        return connection.guarantees(delivery()).ordered();
    }

    @AfterEach
    void closeEverything() {
        List<AutoCloseable> toClose;
        synchronized (resources) {
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        Collections.reverse(toClose);
        for (AutoCloseable resource : toClose) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new AssertionError("closing " + resource + " failed", e);
            }
        }
        threads.shutdownNow();
    }

    // ---------------------------------------------------------------------------------- addresses

    @Test
    void listeningOnPortZeroReportsTheRealBoundAddress() throws Exception {
        Listener listener = listen(TransportContract::echo);

        assertThat(listener.localAddress()).isInstanceOf(InetSocketAddress.class);
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        assertThat(bound.getPort()).isPositive();
        assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void connectingToTheReportedAddressWorks() throws Exception {
        Listener listener = listen(TransportContract::echo);

        Connection connection = connect(listener);

        assertThat(connection.remoteAddress()).isEqualTo(listener.localAddress());
        assertThat(connection.localAddress()).isNotNull().isNotEqualTo(listener.localAddress());
        connection.send(Frame.ofUtf8("hello"));
        assertThat(receive(connection)).isEqualTo(Frame.ofUtf8("hello"));
    }

    @Test
    void connectingWhereNothingListensFailsWithAnIoException() throws Exception {
        Listener listener = transport().listen(loopbackPortZero(), framing(), TransportContract::echo);
        SocketAddress address = listener.localAddress();
        listener.close();

        Throwable thrown = catchThrowable(() -> track(transport().connect(address, framing())));

        assertThat(thrown).isInstanceOf(IOException.class);
    }

    // ---------------------------------------------------------------------------------- frames

    @Test
    void framesGoBothWaysUnchanged() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));
        List<Frame> frames = List.of(
                Frame.ofUtf8("hello"),
                Frame.ofUtf8("{\"type\":\"post\",\"text\":\"caf\u00e9 \u2615\"}"),
                new Frame(new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0x80, '\r', 'x'}),
                Frame.ofUtf8("x"));

        for (Frame frame : frames) {
            connection.send(frame);
        }

        List<Frame> received = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            received.add(receive(connection));
        }
        assertArrived(connection, received, frames);
    }

    @Test
    void anEmptyFrameGoesBothWays() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));

        connection.send(new Frame(new byte[0]));
        connection.send(Frame.ofUtf8("after"));

        List<Frame> received = List.of(receive(connection), receive(connection));
        assertArrived(connection, received, List.of(new Frame(new byte[0]), Frame.ofUtf8("after")));
    }

    @Test
    void aFrameOfExactlyTheLimitGoesBothWays() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));
        int limit = connection.guarantees(Delivery.RELIABLE_ORDERED).maxFrameBytes();
        Frame frame = new Frame(pattern(limit, 7));

        connection.send(frame);

        assertThat(receive(connection)).isEqualTo(frame);
    }

    @Test
    void sendingAFrameOverTheLimitThrowsAndTheConnectionStaysUsable() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));
        int limit = connection.guarantees(Delivery.RELIABLE_ORDERED).maxFrameBytes();

        assertThatThrownBy(() -> connection.send(new Frame(pattern(limit + 1, 3))))
                .isInstanceOf(FrameTooLargeException.class)
                .satisfies(e -> assertThat(((FrameTooLargeException) e).limit()).isEqualTo(limit));

        connection.send(Frame.ofUtf8("still here"));
        assertThat(receive(connection)).isEqualTo(Frame.ofUtf8("still here"));
    }

    @Test
    void reliableOrderedIsReportedReliableAndOrdered() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));

        Guarantees guarantees = connection.guarantees(Delivery.RELIABLE_ORDERED);

        assertThat(guarantees.reliable()).isTrue();
        assertThat(guarantees.ordered()).isTrue();
        assertThat(guarantees.maxFrameBytes()).isPositive().isLessThanOrEqualTo(framing().maxFrameBytes());
    }

    @Test
    void tenThousandFramesArriveCompleteAndInOrder() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));
        int count = 10_000;

        Future<?> sender = background(() -> {
            for (int i = 0; i < count; i++) {
                connection.send(Frame.ofUtf8("seq-" + i), Delivery.RELIABLE_ORDERED);
            }
            return null;
        });

        // The echo goes back with send(frame), so the order coming back is delivery()'s.
        boolean ordered = ordered(connection);
        boolean[] seen = new boolean[count];
        for (int i = 0; i < count; i++) {
            String text = receive(connection).toUtf8();
            if (ordered) {
                assertThat(text).isEqualTo("seq-" + i);
            } else {
                assertThat(text).startsWith("seq-");
                int seq = Integer.parseInt(text.substring(4));
                assertThat(seen[seq]).as("seq-%d arrived twice", seq).isFalse();
                seen[seq] = true;
            }
        }
        sender.get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void concurrentSendersNeverInterleaveInsideAFrame() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));
        int senders = 4;
        int perSender = 1_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int sender = t;
            futures.add(background(() -> {
                start.await();
                for (int i = 0; i < perSender; i++) {
                    connection.send(taggedFrame(sender, i));
                }
                return null;
            }));
        }

        start.countDown();
        boolean ordered = ordered(connection);
        int[] next = new int[senders];
        boolean[][] seen = new boolean[senders][perSender];
        for (int n = 0; n < senders * perSender; n++) {
            Frame frame = receive(connection);
            String text = frame.toUtf8();
            int sender = Integer.parseInt(text.substring(1, text.indexOf(':')));
            int seq = ordered ? next[sender] : Integer.parseInt(text.substring(text.indexOf(':') + 1,
                    text.indexOf(':', text.indexOf(':') + 1)));
            assertThat(frame).as("frame %d from sender %d", seq, sender).isEqualTo(taggedFrame(sender, seq));
            assertThat(seen[sender][seq]).as("frame %d from sender %d arrived twice", seq, sender).isFalse();
            seen[sender][seq] = true;
            next[sender]++;
        }
        for (Future<?> future : futures) {
            future.get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(next).containsOnly(perSender);
    }

    @Test
    void fiftyClientsAtOnceEachGetTheirOwnEchoes() throws Exception {
        Listener listener = listen(TransportContract::echo);
        int clients = 50;
        int framesEach = 20;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(background(() -> {
                start.await();
                Connection connection = connect(listener);
                for (int i = 0; i < framesEach; i++) {
                    Frame frame = taggedFrame(client, i);
                    connection.send(frame);
                    assertThat(receive(connection)).isEqualTo(frame);
                }
                return null;
            }));
        }

        start.countDown();

        for (Future<?> future : futures) {
            future.get(RECEIVE_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------------------------- closing

    @Test
    void whenTheServerClosesTheClientReadsEveryFrameThenPeerClosed() throws Exception {
        int count = 100;
        Connection connection = connect(listen(server -> {
            for (int i = 0; i < count; i++) {
                server.send(Frame.ofUtf8("last words " + i));
            }
            // returning closes the connection
        }));

        List<Frame> expected = new ArrayList<>();
        List<Frame> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(Frame.ofUtf8("last words " + i));
            received.add(receive(connection));
        }
        assertArrived(connection, received, expected);
        assertThatThrownBy(connection::receive)
                .isInstanceOf(ConnectionClosedException.class)
                .satisfies(e -> assertThat(((ConnectionClosedException) e).reason()).isEqualTo(CloseReason.PEER_CLOSED));
        assertThatThrownBy(connection::receive)
                .as("the end is reported again to a later receive")
                .isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void whenTheClientClosesTheServerReadsEveryFrameThenPeerClosed() throws Exception {
        int count = 100;
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        Connection connection = connect(listen(server -> {
            try {
                while (true) {
                    seen.add(server.receive());
                }
            } catch (ConnectionClosedException e) {
                seen.add(e.reason());
            }
        }));

        for (int i = 0; i < count; i++) {
            connection.send(Frame.ofUtf8("bye " + i));
        }
        boolean ordered = ordered(connection);
        connection.close();

        List<Frame> expected = new ArrayList<>();
        List<Object> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(Frame.ofUtf8("bye " + i));
            received.add(poll(seen));
        }
        if (ordered) {
            assertThat(received).containsExactlyElementsOf(expected);
        } else {
            assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(poll(seen)).isEqualTo(CloseReason.PEER_CLOSED);
    }

    @Test
    void closeWakesAThreadBlockedInReceive() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));
        AtomicReference<Thread> reader = new AtomicReference<>();
        Future<Frame> blocked = background(() -> {
            reader.set(Thread.currentThread());
            return connection.receive();
        });
        Await.until("the reader blocks in receive()", () -> {
            Thread thread = reader.get();
            return thread != null
                    && (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
        });

        connection.close();

        Throwable thrown = causeOf(blocked);
        assertThat(thrown).isInstanceOf(ConnectionClosedException.class);
        assertThat(((ConnectionClosedException) thrown).reason()).isEqualTo(CloseReason.LOCAL_CLOSE);
    }

    @Test
    void closeIsIdempotentAndSendAfterCloseThrows() throws Exception {
        Connection connection = connect(listen(TransportContract::echo));

        connection.close();
        connection.close();

        assertThatThrownBy(() -> connection.send(Frame.ofUtf8("too late")))
                .isInstanceOf(ConnectionClosedException.class)
                .satisfies(e -> assertThat(((ConnectionClosedException) e).reason()).isEqualTo(CloseReason.LOCAL_CLOSE));
        assertThatThrownBy(connection::receive)
                .isInstanceOf(ConnectionClosedException.class)
                .satisfies(e -> assertThat(((ConnectionClosedException) e).reason()).isEqualTo(CloseReason.LOCAL_CLOSE));
    }

    @Test
    void closingTheListenerStopsNewConnectionsButOpenOnesKeepWorking() throws Exception {
        Listener listener = listen(TransportContract::echo);
        SocketAddress address = listener.localAddress();
        Connection open = connect(listener);
        open.send(Frame.ofUtf8("before"));
        assertThat(receive(open)).isEqualTo(Frame.ofUtf8("before"));

        listener.close();
        listener.close();

        assertThat(catchThrowable(() -> track(transport().connect(address, framing()))))
                .isInstanceOf(IOException.class);
        open.send(Frame.ofUtf8("after"));
        assertThat(receive(open)).isEqualTo(Frame.ofUtf8("after"));
    }

    @Test
    void aHandlerThatThrowsDoesNotDisturbOtherConnections() throws Exception {
        Listener listener = listen(connection -> {
            while (true) {
                Frame frame;
                try {
                    frame = connection.receive();
                } catch (ConnectionClosedException e) {
                    return;
                }
                if (frame.toUtf8().equals("boom")) {
                    throw new IllegalStateException("a handler failing on purpose (expected in this test)");
                }
                connection.send(frame);
            }
        });
        Connection bystander = connect(listener);
        Connection victim = connect(listener);
        bystander.send(Frame.ofUtf8("one"));
        assertThat(receive(bystander)).isEqualTo(Frame.ofUtf8("one"));

        victim.send(Frame.ofUtf8("boom"));

        assertThat(catchThrowable(() -> receive(victim)))
                .as("the failed handler's connection is closed by the transport")
                .isInstanceOf(ConnectionClosedException.class);
        bystander.send(Frame.ofUtf8("two"));
        assertThat(receive(bystander)).isEqualTo(Frame.ofUtf8("two"));
        Connection newcomer = connect(listener);
        newcomer.send(Frame.ofUtf8("three"));
        assertThat(receive(newcomer)).isEqualTo(Frame.ofUtf8("three"));
    }

    // ---------------------------------------------------------------------------------- helpers

    /** The echo handler: sends every frame back until the peer leaves. */
    protected static void echo(Connection connection) throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = connection.receive();
            } catch (ConnectionClosedException e) {
                return;
            }
            connection.send(frame);
        }
    }

    /**
     * Asserts that {@code received} are exactly {@code expected}: in the same order where
     * {@code connection} keeps the order of {@code send(frame)}, else in any order, each once.
     */
    protected void assertArrived(Connection connection, List<Frame> received, List<Frame> expected) {
        if (ordered(connection)) {
            assertThat(received).containsExactlyElementsOf(expected);
        } else {
            assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Loopback, port 0: the system picks a free port. */
    protected static SocketAddress loopbackPortZero() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Starts a listener with {@link #framing()} that is closed after the test. */
    protected Listener listen(ConnectionHandler handler) throws IOException {
        return track(transport().listen(loopbackPortZero(), framing(), handler));
    }

    /** Connects to {@code listener} with {@link #framing()}; the connection is closed after the test. */
    protected Connection connect(Listener listener) throws IOException {
        return track(transport().connect(listener.localAddress(), framing()));
    }

    /** Closes {@code resource} after the test, in reverse order of tracking. */
    protected <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * Receives one frame. The class-wide {@link Timeout} runs each case on a thread of its own, so a
     * receive that never returns fails the case instead of hanging the build.
     */
    protected static Frame receive(Connection connection) throws IOException {
        return connection.receive();
    }

    /** Runs {@code task} on a virtual thread of its own. */
    protected <T> Future<T> background(Callable<T> task) {
        return threads.submit(task);
    }

    private static Object poll(BlockingQueue<Object> queue) throws InterruptedException {
        Object item = queue.poll(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(item).as("something within " + RECEIVE_TIMEOUT).isNotNull();
        return item;
    }

    private static Throwable causeOf(Future<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the task to fail, but it completed");
    }

    /** A frame naming its sender and number, with a body that depends on both (no newline in it). */
    protected static Frame taggedFrame(int sender, int seq) {
        byte[] head = ("s" + sender + ":" + seq + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] body = pattern(seq % 200 + 1, sender * 31 + seq);
        byte[] bytes = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, bytes, head.length, body.length);
        return new Frame(bytes);
    }

    /** {@code length} printable letters starting at {@code seed}: never a newline, never all the same. */
    protected static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + Math.floorMod(seed + i, 26));
        }
        return bytes;
    }
}
