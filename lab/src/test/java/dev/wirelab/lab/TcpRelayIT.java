package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.chat.ChatClient;
import dev.wirelab.chat.ChatConfig;
import dev.wirelab.chat.ChatListener;
import dev.wirelab.chat.ChatServer;
import dev.wirelab.codec.json.JsonCodec;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.tcp.TcpTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP relay on loopback: a real wirelab chat through it (intact, in order, each round trip at
 * least two delays), every byte in order despite "loss", half-close and RST passed on, resets by the
 * impairment, and a server that is not there.
 */
@Timeout(60)
class TcpRelayIT {

    private static final InetSocketAddress LOOPBACK_ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final long MS = 1_000_000L;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private TcpRelay relay(InetSocketAddress server, String toServer, String toClient) throws IOException {
        return closeLater(TcpRelay.start(LOOPBACK_ANY, server, Impairment.parse(toServer), Impairment.parse(toClient),
                System::nanoTime));
    }

    private ServerSocket rawServer() throws IOException {
        return closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    private Socket connect(TcpRelay relay) throws IOException {
        Socket socket = closeLater(new Socket());
        socket.setSoTimeout(20_000); // before connecting: a relay may reset the socket at once
        socket.connect(relay.localAddress(), 10_000);
        return socket;
    }

    private Socket accept(ServerSocket server) throws IOException {
        server.setSoTimeout(20_000);
        Socket socket = closeLater(server.accept());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    @Test
    void carriesAWirelabChatIntactAndInOrderWithEachRoundTripTwoDelaysLong() throws Exception {
        Limits limits = Limits.DEFAULTS;
        ChatServer chat = closeLater(ChatServer.start(TcpTransport.create(limits), JsonCodec.create(limits), LOOPBACK_ANY,
                ChatConfig.defaults().withLimits(limits)));
        TcpRelay relay = relay((InetSocketAddress) chat.address(), "delay=30ms,seed=1", "delay=30ms,seed=2");
        List<String> echoes = new CopyOnWriteArrayList<>();
        ChatClient client = closeLater(ChatClient.connect(TcpTransport.create(limits), JsonCodec.create(limits),
                relay.localAddress(), new ChatListener() {
                    @Override
                    public void onReply(Reply reply) {
                        if (reply instanceof Reply.Echoed echoed) {
                            echoes.add(echoed.text());
                        }
                    }
                }));

        assertThat(client.call(id -> new Request.Register(id, "alice", Password.NONE), REPLY_TIMEOUT))
                .isInstanceOfSatisfying(Reply.Registered.class, registered -> assertThat(registered.name()).isEqualTo("alice"));
        long start = System.nanoTime();
        Reply echo = client.call(id -> new Request.Echo(id, "héllo, wörld"), REPLY_TIMEOUT);
        long roundTrip = System.nanoTime() - start;

        assertThat(echo).isInstanceOfSatisfying(Reply.Echoed.class,
                echoed -> assertThat(echoed.text()).isEqualTo("héllo, wörld"));
        assertThat(roundTrip).as("ECHO round trip in ns through 30 ms each way").isGreaterThanOrEqualTo(60 * MS);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String text = "message " + i + " " + "x".repeat(i * 10);
            sent.add(text);
            client.send(id -> new Request.Echo(id, text), Delivery.RELIABLE_ORDERED);
        }
        Await.until("100 pipelined echoes", () -> echoes.size() == 100);
        assertThat(echoes).containsExactlyElementsOf(sent);
        assertThat(relay.statusLine()).contains("1 connection(s) open, 1 in all; 0 reset by the impairment");
    }

    @Test
    void deliversEveryByteInOrderDespiteLossAndPassesHalfCloseOn() throws Exception {
        ServerSocket server = rawServer();
        TcpRelay relay = relay((InetSocketAddress) server.getLocalSocketAddress(), "loss=20%,seed=5", "loss=20%,seed=6");
        byte[] payload = new byte[2 * 1024 * 1024];
        new SplittableRandom(9).nextBytes(payload);
        Socket client = connect(relay);
        Socket upstream = accept(server);

        FutureTask<Void> writer = new FutureTask<>(() -> {
            client.getOutputStream().write(payload);
            client.shutdownOutput(); // half-close: the server must see the end after the last byte
            return null;
        });
        Thread.ofVirtual().start(writer);
        byte[] received = readAll(upstream.getInputStream());
        writer.get(20, TimeUnit.SECONDS);

        assertThat(received.length).isEqualTo(payload.length);
        assertThat(received).isEqualTo(payload);

        // The other direction still works after the half-close, and its end passes on too.
        upstream.getOutputStream().write("done".getBytes(StandardCharsets.US_ASCII));
        upstream.shutdownOutput();
        assertThat(new String(readAll(client.getInputStream()), StandardCharsets.US_ASCII)).isEqualTo("done");

        Matcher stalls = Pattern.compile("to server 2097152 B, (\\d+) stalled").matcher(relay.statusLine());
        assertThat(stalls.find()).as(relay.statusLine()).isTrue();
        assertThat(Long.parseLong(stalls.group(1))).as("stalled chunks").isPositive();
        Await.until("the relay closes the finished connection", () -> relay.openConnections() == 0);
    }

    @Test
    void passesAResetFromTheClientOnToTheServer() throws Exception {
        ServerSocket server = rawServer();
        TcpRelay relay = relay((InetSocketAddress) server.getLocalSocketAddress(), "delay=5ms", "delay=5ms");
        Socket client = connect(relay);
        Socket upstream = accept(server);

        client.setSoLinger(true, 0);
        client.close(); // RST

        assertThatThrownBy(() -> upstream.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
        Await.until("the relay counts it", () -> relay.statusLine().endsWith("1 resets passed on"));
    }

    @Test
    void passesAResetFromTheServerOnToTheClient() throws Exception {
        ServerSocket server = rawServer();
        TcpRelay relay = relay((InetSocketAddress) server.getLocalSocketAddress(), "none", "none");
        Socket client = connect(relay);
        Socket upstream = accept(server);

        upstream.setSoLinger(true, 0);
        upstream.close();

        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
    }

    @Test
    void theImpairmentCanResetTheConnectionBothWays() throws Exception {
        ServerSocket server = rawServer();
        TcpRelay relay = relay((InetSocketAddress) server.getLocalSocketAddress(), "reset=100%", "none");
        Socket client = connect(relay);
        Socket upstream = accept(server);

        client.getOutputStream().write('x');

        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThatThrownBy(() -> upstream.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThat(relay.statusLine()).contains("1 reset by the impairment");
    }

    @Test
    void resetsAClientWhenTheServerIsNotThere() throws Exception {
        InetSocketAddress nowhere;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = (InetSocketAddress) gone.getLocalSocketAddress();
        }
        TcpRelay relay = relay(nowhere, "none", "none");
        Socket client = closeLater(new Socket());
        client.setSoTimeout(20_000);

        // The reset can come so soon that it already fails the connect; otherwise the first read.
        assertThatThrownBy(() -> {
            client.connect(relay.localAddress(), 10_000);
            client.getInputStream().read();
        }).isInstanceOf(SocketException.class);
    }

    @Test
    void delaysAndThrottlesARawStream() throws Exception {
        ServerSocket server = rawServer();
        // 1 Mbit/s = 125,000 B/s: 62,500 B take at least 500 ms, and 20 ms of delay on top.
        TcpRelay relay = relay((InetSocketAddress) server.getLocalSocketAddress(), "rate=1mbit,delay=20ms", "none");
        Socket client = connect(relay);
        Socket upstream = accept(server);
        byte[] payload = new byte[62_500];

        long start = System.nanoTime();
        Future<?> writer = new FutureTask<>(() -> {
            client.getOutputStream().write(payload);
            client.shutdownOutput();
            return null;
        });
        Thread.ofVirtual().start((Runnable) writer);
        byte[] received = readAll(upstream.getInputStream());
        long elapsed = System.nanoTime() - start;

        assertThat(received).hasSize(payload.length);
        assertThat(elapsed).as("ns for 62,500 B at 125,000 B/s plus 20 ms").isGreaterThanOrEqualTo(520 * MS);
        writer.get(10, TimeUnit.SECONDS);
    }
}
