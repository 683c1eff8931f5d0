package dev.wirelab.lab;

import dev.wirelab.chat.ChatConfig;
import dev.wirelab.chat.ChatServer;
import dev.wirelab.protocol.Limits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    LinkOptions link;





    @Option(names = {"-p", "--port"}, paramLabel = "N", defaultValue = "8080", converter = Converters.ListenPort.class,
            description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;


    @Option(names = {"-b", "--bind"}, paramLabel = "ADDR", defaultValue = "0.0.0.0", converter = Converters.BindAddress.class,
            description = "Local address to listen on (127.0.0.1 for this machine only). Default: ${DEFAULT-VALUE}.")
    InetAddress bind;

    private final Io io;

    ServerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        Limits limits = Limits.DEFAULTS;
        InetSocketAddress local = new InetSocketAddress(bind, port);
        String what = link.label();
        ChatServer server;
        try {
            server = ChatServer.start(link.transport(limits), link.codec(limits), local,
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
                + link.details());
        io.out().flush();
        stop.await();
        LOG.log(System.Logger.Level.INFO, () -> "SIG" + signal.get() + ": shutting down, telling "
                + server.sessionCount() + " connected client(s)");
        server.close();
        return 0;
    }
}
