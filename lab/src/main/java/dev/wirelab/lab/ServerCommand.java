package dev.wirelab.lab;

import dev.wirelab.chat.ChatConfig;
import dev.wirelab.chat.ChatServer;
import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wirelab server}: runs a {@link ChatServer} until SIGINT or SIGTERM, then stops accepting,
 * tells connected clients, sends what is queued for them and exits 0.
 *
 * <p>Prints one line on stdout once it listens, {@code listening on tcp/json 127.0.0.1:41234}, with
 * the real port when {@code --port 0} asked for any free one, so a script or test can read it; with
 * {@code --impair} the line ends {@code with impairment delay=40ms} (what the server sends goes
 * through it).
 * Connects, disconnects and errors are logged on stderr.
 *
 * <p>Threads: the main thread starts the server and waits; a signal (on the JVM's signal thread)
 * releases it, and it closes the server. A second signal while closing exits at once.
 */
@Command(name = "server",
        header = "Run a chat server.",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelab.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Run a chat server until Ctrl-C (SIGINT) or SIGTERM; on either it tells connected clients, "
                    + "sends what is queued for them and exits 0.",
            "Prints 'listening on TRANSPORT/CODEC HOST:PORT' on stdout once it listens; logs go to stderr.",
            "With --codec json it speaks the seed's JSON-lines protocol, so the seed's Go client works unchanged."},
        sortOptions = false)
final class ServerCommand implements Callable<Integer> {

    private static final System.Logger LOG = System.getLogger(ServerCommand.class.getName());

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "tcp", converter = Converters.Transport.class,
            description = "tcp or udp. Default: ${DEFAULT-VALUE}.")
    TransportKind transport;

    @Option(names = "--delivery", paramLabel = "MODE", defaultValue = "reliable-ordered",
            converter = Converters.DeliveryMode.class,
            description = "UDP only: unreliable, sequenced, reliable or reliable-ordered, for everything the server sends "
                    + "(TCP is always reliable-ordered). Default: ${DEFAULT-VALUE}.")
    Delivery delivery;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "quic-like", converter = Converters.Profile.class,
            description = "UDP only: the reliability engine's profile: tcp-like, kcp-default, kcp-nocc, kcp-turbo or "
                    + "quic-like (see docs/reliable-udp-engine.md); use the same on both ends. Default: ${DEFAULT-VALUE}.")
    String profile;

    @Option(names = "--codec", paramLabel = "NAME", defaultValue = "json", converter = Converters.Codec.class,
            description = "json or protobuf. Default: ${DEFAULT-VALUE}.")
    CodecKind codec;

    @Option(names = {"-p", "--port"}, paramLabel = "N", defaultValue = "8080", converter = Converters.ListenPort.class,
            description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--impair", paramLabel = "SPEC", defaultValue = "none", converter = ImpairConverters.Spec.class,
            description = "Impair what the server sends, e.g. \"delay=40ms,loss=1%%\". On tcp: delay, jitter and rate "
                    + "hold replies back in order, loss stalls them one retransmission timeout, reset drops the "
                    + "connection (see docs/impairments.md). Default: ${DEFAULT-VALUE}.")
    Impairment impair;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDR", defaultValue = "0.0.0.0", converter = Converters.BindAddress.class,
            description = "Local address to listen on (127.0.0.1 for this machine only). Default: ${DEFAULT-VALUE}.")
    InetAddress bind;

    private final Io io;

    ServerCommand(Io io) {
        this.io = io;
    }

    private TransportKind.UdpChoice udp() {
        return new TransportKind.UdpChoice(delivery, profile);
    }

    @Override
    public Integer call() throws InterruptedException {
        Limits limits = Limits.DEFAULTS;
        InetSocketAddress local = new InetSocketAddress(bind, port);
        String what = transport.label() + "/" + codec.label();
        ChatServer server;
        try {
            server = ChatServer.start(transport.create(limits, impair, udp()), codec.create(limits), local,
                    ChatConfig.defaults().withLimits(limits));
        } catch (IOException e) {
            io.err().println("wirelab server: cannot listen on " + what + " " + HostPort.format(local) + ": " + e.getMessage());
            io.err().flush();
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<String> signal = new AtomicReference<>();
        if (io.ownsProcess()) {
            boolean caught = Signals.onTermination(name -> {
                if (!signal.compareAndSet(null, name)) {
                    // The user insists: stop waiting for slow clients.
                    LOG.log(System.Logger.Level.WARNING, "second SIG" + name + ": exiting without finishing the shutdown");
                    Runtime.getRuntime().halt(1);
                }
                stop.countDown();
            });
            if (!caught) {
                // Clients still hear of the shutdown; only the exit status is the JVM's (130 or 143).
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wirelab-shutdown"));
            }
        }
        io.out().println("listening on " + what + " " + HostPort.format(server.address())
                + (transport == TransportKind.UDP ? " (" + transport.describe(udp()) + ")" : "")
                + (impair.isNone() ? "" : " with impairment " + impair.toSpec()));
        io.out().flush();
        stop.await();
        LOG.log(System.Logger.Level.INFO, () -> "SIG" + signal.get() + ": shutting down, telling "
                + server.sessionCount() + " connected client(s)");
        server.close();
        return 0;
    }
}
