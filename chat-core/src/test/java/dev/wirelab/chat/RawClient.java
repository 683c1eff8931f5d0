package dev.wirelab.chat;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Decoded;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameDecoder;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A plain {@link Socket} that speaks a codec by hand: it writes whatever bytes a test chooses
 * (valid frames, half frames, garbage) and reads the server's frames back through the codec's own
 * framing, without any of {@link ChatClient}'s politeness. Hostile tests use it to be the hostile
 * peer. Not thread-safe: one test thread drives it.
 */
final class RawClient implements AutoCloseable {

    /** How long one read may wait before the test fails instead of hanging. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final Codec codec;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final byte[] buffer = new byte[16 * 1024];

    private RawClient(Socket socket, Codec codec) throws IOException {
        this.socket = socket;
        this.codec = codec;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.decoder = codec.framing().newDecoder();
    }

    /** Connects without reading anything, not even the welcome. */
    static RawClient open(SocketAddress server, Codec codec) throws IOException {
        return open(server, codec, 0);
    }

    /**
     * Connects without reading anything; a positive {@code receiveBufferBytes} shrinks the socket's
     * receive buffer (and so the window the server may fill) before connecting.
     */
    static RawClient open(SocketAddress server, Codec codec, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.connect(server, (int) READ_TIMEOUT.toMillis());
            return new RawClient(socket, codec);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects and reads the welcome, which must be the seed's. */
    static RawClient connect(SocketAddress server, Codec codec) throws IOException {
        RawClient client = open(server, codec);
        try {
            ChatMessage welcome = client.receive();
            if (!(welcome instanceof Reply.Info info) || !info.text().equals(ChatConfig.SEED_WELCOME)) {
                throw new IOException("expected the welcome, got " + welcome);
            }
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The bytes {@code request} takes on the wire with this client's codec and framing. */
    byte[] wire(Request request) throws IOException {
        return codec.framing().encode(codec.encode(request));
    }

    /** The bytes of several requests back to back, for one write. */
    byte[] wire(List<? extends Request> requests) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Request request : requests) {
            bytes.write(wire(request));
        }
        return bytes.toByteArray();
    }

    /** Encodes, frames and writes one request. */
    void send(Request request) throws IOException {
        write(wire(request));
    }

    /** Writes raw bytes in one call. */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the server, decoded. */
    ChatMessage receive() throws IOException {
        return codec.decode(receiveFrame());
    }

    /** The next frame from the server, which must be a reply. */
    Reply receiveReply() throws IOException {
        ChatMessage message = receive();
        if (!(message instanceof Reply reply)) {
            throw new IOException("expected a reply, got " + message);
        }
        return reply;
    }

    /** The next whole frame; fails on end of stream or after {@link #READ_TIMEOUT} of silence. */
    Frame receiveFrame() throws IOException {
        while (frames.isEmpty()) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new EOFException("the server closed the connection");
            }
            for (Decoded decoded : decoder.feed(buffer, 0, n)) {
                switch (decoded) {
                    case Decoded.Complete complete -> frames.addLast(complete.frame());
                    case Decoded.Oversize oversize -> throw new IOException("the server sent an oversize frame: " + oversize);
                    case Decoded.Broken broken -> throw new IOException("the server broke the framing: " + broken.reason());
                }
            }
        }
        return frames.removeFirst();
    }

    /**
     * Reads and throws away everything until the server ends the connection (end of stream or a
     * reset). Returns false if the connection was still open after {@code timeout}.
     */
    boolean awaitClosedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset by the server: closed as well
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
                }
            }
        }
    }

    /** This end's address (the server logs it). */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Vanishes abruptly: SO_LINGER 0 makes close send a reset instead of a FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
