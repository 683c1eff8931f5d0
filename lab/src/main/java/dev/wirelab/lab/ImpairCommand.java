package dev.wirelab.lab;

import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.StreamModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code wirelab impair}: a relay that puts a bad network between any real client and server.
 * Clients connect to {@code --listen}; the relay forwards to {@code --to} and back, each direction
 * through its own seeded impairment ({@link UdpRelay} for datagrams, {@link TcpRelay} for streams).
 *
 * <p>Prints {@code relaying udp 127.0.0.1:9000 -> 127.0.0.1:8080 with loss=5%,delay=20ms,seed=42} on
 * stdout once it listens (the real port when port 0 was asked for), then a line of counts every
 * {@code --report-every} (5 s) when they changed ({@link CountsReport}), and a last one when SIGINT
 * or SIGTERM stops it, with exit status 0.
 *
 * <p>Threads: the main thread starts the relay and waits; a daemon thread prints the counts; a signal
 * (on the JVM's signal thread) releases the main thread, which closes the relay.
 */
@Command(name = "impair",
        header = "Relay between a client and a server through a bad network.",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelab.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Clients connect to --listen; every datagram (--udp) or byte (--tcp) is relayed to --to and back, "
                    + "each direction through a seeded impairment: the direction toward the server uses the seed, "
                    + "the one toward the client seed + 1.",
            "On UDP every knob applies to each datagram. On TCP, a reliable stream, nothing is dropped or "
                    + "reordered: delay, jitter and rate hold bytes back in order, loss stalls the stream for one "
                    + "retransmission timeout (max(200 ms, 2 x delay)), reset resets the connection; duplicate, "
                    + "reorder and corrupt do not apply. See docs/impairments.md.",
            "Prints 'relaying PROTO LISTEN -> TO with SPEC' once it listens, a line of counts every 5 s when they "
                    + "changed, and stops cleanly on Ctrl-C (SIGINT) or SIGTERM with a last line of counts, exiting 0."},
        sortOptions = false,
        footerHeading = "%nExamples:%n",
        footer = {
            "  wirelab impair --udp --listen 127.0.0.1:9000 --to 127.0.0.1:8080 --loss 5%% --delay 20ms --jitter 5ms --reorder 1%%",
            "  wirelab impair --tcp --listen 127.0.0.1:9000 --to 127.0.0.1:8080 --spec \"loss=2%%,delay=30ms,seed=7\"",
            "  wirelab impair --tcp --listen 0.0.0.0:9000 --to 10.0.0.5:8080 --rate 1mbit --to-client-only"})
final class ImpairCommand implements Callable<Integer> {

    private static final System.Logger LOG = System.getLogger(ImpairCommand.class.getName());

    @Spec
    CommandSpec commandSpec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", converter = ImpairConverters.ListenAddress.class,
            description = "Where clients connect: HOST:PORT, [IPV6]:PORT; port 0 picks a free one.")
    InetSocketAddress listen;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", converter = Converters.Address.class,
            description = "The real server: HOST:PORT or [IPV6]:PORT.")
    HostPort to;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Protocol protocol;

    /** Which protocol to relay; exactly one. */
    static final class Protocol {
        @Option(names = "--udp", required = true, description = "Relay UDP datagrams.")
        boolean udp;

        @Option(names = "--tcp", required = true, description = "Relay TCP connections.")
        boolean tcp;
    }

    @Option(names = "--spec", paramLabel = "SPEC", defaultValue = "none", converter = ImpairConverters.Spec.class,
            description = "The whole impairment as one spec, e.g. \"loss=5%%,delay=20ms,jitter=5ms,seed=42\"; "
                    + "the options below override its knobs. Default: ${DEFAULT-VALUE}.")
    Impairment spec;

    @Option(names = "--loss", paramLabel = "P", description = "Loss probability: 5%% or 0.05. On TCP, the share of chunks that stall.")
    String loss;

    @Option(names = "--burst", paramLabel = "N", description = "Mean loss-burst length in datagrams (1 = independent loss).")
    String burst;

    @Option(names = "--delay", paramLabel = "T", description = "One-way delay: 20ms, 1.5s.")
    String delay;

    @Option(names = "--jitter", paramLabel = "T", description = "Extra one-way delay, uniform from 0 to T.")
    String jitter;

    @Option(names = "--reorder", paramLabel = "P", description = "Share of datagrams held back (by hold, 10 ms) so later ones overtake. UDP only.")
    String reorder;

    @Option(names = {"--duplicate", "--dup"}, paramLabel = "P", description = "Share of datagrams delivered twice. UDP only.")
    String duplicate;

    @Option(names = "--corrupt", paramLabel = "P", description = "Share of datagrams with one bit flipped. UDP only.")
    String corrupt;

    @Option(names = "--rate", paramLabel = "R", description = "Bottleneck rate: 1mbit, 500kbit, 64kB/s.")
    String rate;

    @Option(names = "--reset", paramLabel = "P", description = "Share of chunks at which the connection is reset. TCP only.")
    String reset;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random draw (toward the client: N + 1).")
    String seed;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Direction direction;

    /** Which directions are impaired; both by default. */
    static final class Direction {
        @Option(names = "--both-ways", required = true, description = "Impair both directions (the default).")
        boolean bothWays;

        @Option(names = "--to-server-only", required = true, description = "Impair only what clients send.")
        boolean toServerOnly;

        @Option(names = "--to-client-only", required = true, description = "Impair only what the server sends.")
        boolean toClientOnly;
    }

    @Option(names = "--report-every", paramLabel = "T", defaultValue = "5s", converter = ImpairConverters.Interval.class,
            description = "How often to print the counts if they changed; 0 for only at the end. Default: ${DEFAULT-VALUE}.")
    Duration reportEvery;

    private final Io io;
    private final CountDownLatch stop = new CountDownLatch(1);

    ImpairCommand(Io io) {
        this.io = io;
    }

    /** Stops a running relay as a signal would; for tests that run the command in this JVM. */
    void requestStop() {
        stop.countDown();
    }

    /**
     * The spec with the individual options laid over it.
     *
     * @throws ParameterException naming the option whose value is wrong
     */
    Impairment effectiveImpairment() {
        Map<String, String> items = new LinkedHashMap<>();
        String base = spec.toSpec();
        if (!base.equals("none")) {
            for (String item : base.split(",")) {
                int eq = item.indexOf('=');
                items.put(item.substring(0, eq), item.substring(eq + 1));
            }
        }
        override(items, "loss", "--loss", loss);
        override(items, "burst", "--burst", burst);
        override(items, "delay", "--delay", delay);
        override(items, "jitter", "--jitter", jitter);
        override(items, "reorder", "--reorder", reorder);
        override(items, "duplicate", "--duplicate", duplicate);
        override(items, "corrupt", "--corrupt", corrupt);
        override(items, "rate", "--rate", rate);
        override(items, "reset", "--reset", reset);
        override(items, "seed", "--seed", seed);
        StringJoiner merged = new StringJoiner(",");
        items.forEach((key, value) -> merged.add(key + "=" + value));
        try {
            return Impairment.parse(merged.toString());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandSpec.commandLine(), "impossible impairment: " + ImpairConverters.reason(e));
        }
    }

    private void override(Map<String, String> items, String key, String option, String value) {
        if (value == null) {
            return;
        }
        try {
            Impairment.parse(key + "=" + value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandSpec.commandLine(),
                    "Invalid value for option '" + option + "': " + ImpairConverters.reason(e));
        }
        items.put(key, value.strip());
    }

    /** What goes toward the server: the impairment, unless only the other direction is impaired. */
    Impairment towardServer(Impairment impairment) {
        boolean impaired = direction == null || !direction.toClientOnly;
        return impaired ? impairment : Impairment.NONE.withSeed(impairment.seed());
    }

    /** What goes toward the client: the impairment with the next seed, unless only the other direction is. */
    Impairment towardClient(Impairment impairment) {
        boolean impaired = direction == null || !direction.toServerOnly;
        return impaired ? impairment.withSeed(impairment.seed() + 1) : Impairment.NONE.withSeed(impairment.seed() + 1);
    }

    private String directionNote() {
        if (direction != null && direction.toServerOnly) {
            return " toward the server only";
        }
        if (direction != null && direction.toClientOnly) {
            return " toward the client only";
        }
        return "";
    }

    @Override
    public Integer call() throws InterruptedException {
        Impairment impairment = effectiveImpairment();
        String kind = protocol.udp ? "udp" : "tcp";
        InetSocketAddress server = to.resolve();
        if (server.isUnresolved()) {
            return fail("unknown host '" + to.host() + "'");
        }
        Relay relay;
        try {
            relay = protocol.udp
                    ? UdpRelay.start(listen, server, towardServer(impairment), towardClient(impairment), System::nanoTime,
                            UdpRelay.IDLE_TIMEOUT_DEFAULT)
                    : TcpRelay.start(listen, server, towardServer(impairment), towardClient(impairment), System::nanoTime);
        } catch (IOException e) {
            return fail("cannot listen on " + kind + " " + HostPort.format(listen) + ": " + e.getMessage());
        }
        if (protocol.tcp) {
            String ignored = StreamModel.ignoredOnStreams(impairment);
            if (!ignored.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "{0} ignored on tcp: a reliable stream repairs duplication, "
                        + "reordering and corruption", ignored);
            }
        }
        AtomicReference<String> signal = new AtomicReference<>();
        if (io.ownsProcess()) {
            boolean caught = Signals.onTermination(name -> {
                if (!signal.compareAndSet(null, name)) {
                    Runtime.getRuntime().halt(1);
                }
                stop.countDown();
            });
            if (!caught) {
                Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "wirelab-impair-shutdown"));
            }
        }
        io.out().println("relaying " + kind + " " + HostPort.format(relay.localAddress()) + " -> " + HostPort.format(server)
                + " with " + impairment.toSpec() + directionNote());
        io.out().flush();
        CountsReport counts = new CountsReport(relay::statusLine, io.out());
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("wirelab-impair-report").factory());
        if (!reportEvery.isZero()) {
            long every = Math.max(1, reportEvery.toMillis());
            reporter.scheduleAtFixedRate(counts::onTick, every, every, TimeUnit.MILLISECONDS);
        }
        try {
            stop.await();
        } finally {
            reporter.shutdownNow();
            reporter.awaitTermination(5, TimeUnit.SECONDS);
            relay.close();
        }
        if (signal.get() != null) {
            LOG.log(System.Logger.Level.INFO, "SIG{0}: stopped relaying", signal.get());
        }
        counts.onStop();
        return 0;
    }

    private int fail(String message) {
        io.err().println("wirelab impair: " + message);
        io.err().flush();
        return 1;
    }
}
