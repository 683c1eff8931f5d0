package dev.wirelab.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A seed client reduced to bytes: a plain {@link Socket} that writes exactly the bytes given and
 * reads the server's reply lines exactly as they arrive, newline included. No codec is involved,
 * so a test can compare the server's output with the seed's transcript byte for byte. Not
 * thread-safe.
 */
final class RawLineClient implements AutoCloseable {

    /** How long one read may wait before the test fails instead of hanging. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawLineClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawLineClient connect(SocketAddress server) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true); // each write() leaves as its own segment, as the seed's recorder sent them
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.connect(server, (int) READ_TIMEOUT.toMillis());
            return new RawLineClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes the UTF-8 bytes of {@code text} in one call, exactly as given (no newline added). */
    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * The next line exactly as received, up to and including its {@code '\n'}, as UTF-8.
     *
     * @throws IOException if the stream ends first, or nothing arrives within {@link #READ_TIMEOUT}
     */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new IOException("no whole line within " + READ_TIMEOUT + "; got so far: "
                        + line.toString(StandardCharsets.UTF_8), e);
            }
            if (b < 0) {
                throw new IOException("end of stream; got so far: " + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Writes one request line and returns the next line read: a seed client's lock-step exchange. */
    String exchange(String requestLine) throws IOException {
        write(requestLine);
        return readLine();
    }

    /** True if the server closed the stream (end of stream) before sending anything more. */
    boolean atEndOfStream() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
