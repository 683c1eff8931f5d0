package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line as a user meets it; nothing here opens a socket (every bad line fails while parsing). */
@Timeout(10)
class WirelabCommandLineTest {

    private final CapturedLines out = new CapturedLines();
    private final CapturedLines err = new CapturedLines();
    private final Io io = new Io(new ByteArrayInputStream(new byte[0]), out.writer(), err.writer(), false, false);

    private int run(String... args) {
        return Wirelab.run(io, args);
    }

    private <T> T parsed(Class<T> type, String... args) {
        ParseResult result = Wirelab.commandLine(io).parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    @Test
    void serverDefaultsToTcpJsonOnPort8080OfEveryInterface() throws Exception {
        ServerCommand server = parsed(ServerCommand.class, "server");

        assertThat(server.link.transport).isEqualTo(TransportKind.TCP);
        assertThat(server.link.codec).isEqualTo(CodecKind.JSON);
        assertThat(server.port).isEqualTo(8080);
        assertThat(server.bind).isEqualTo(InetAddress.getByName("0.0.0.0"));
    }

    @Test
    void serverTakesCodecPortAndBindAddress() throws Exception {
        ServerCommand server = parsed(ServerCommand.class, "server", "--codec", "PROTOBUF", "--port", "0", "--bind", "127.0.0.1");

        assertThat(server.link.codec).isEqualTo(CodecKind.PROTOBUF);
        assertThat(server.port).isZero();
        assertThat(server.bind).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThat(run("server", "--port", "70000")).isEqualTo(2);
        assertThat(err.text()).contains("Invalid value for option '--port': 70000 is not a port: use 0 to 65535")
                .contains("Run 'wirelab server --help' for usage.");
    }

    @Test
    void refusesAPortThatIsNotANumber() {
        assertThat(run("server", "-p", "http")).isEqualTo(2);
        assertThat(err.text()).contains("'http' is not a port number");
    }

    @Test
    void refusesAnUnknownCodecNamingTheChoices() {
        assertThat(run("server", "--codec", "xml")).isEqualTo(2);
        assertThat(err.text()).contains("unknown codec 'xml': choose json or protobuf");
    }

    @Test
    void refusesAnUnknownTransportDeliveryOrProfileNamingTheChoices() {
        assertThat(run("server", "--transport", "sctp")).isEqualTo(2);
        assertThat(err.text()).contains("unknown transport 'sctp': choose tcp or udp");

        assertThat(run("server", "--transport", "udp", "--delivery", "maybe")).isEqualTo(2);
        assertThat(err.text()).contains("unknown delivery 'maybe': choose unreliable, sequenced, reliable or reliable-ordered");

        assertThat(run("client", "--transport", "udp", "--profile", "warp", "localhost:8080")).isEqualTo(2);
        assertThat(err.text()).contains("unknown profile 'warp': choose one of tcp-like, kcp-default, kcp-nocc, kcp-turbo, quic-like");
    }

    @Test
    void serverAndClientTakeUdpDeliveryAndProfile() {
        ServerCommand server = parsed(ServerCommand.class, "server", "--transport", "udp", "--delivery", "reliable",
                "--profile", "kcp-turbo");
        ClientCommand client = parsed(ClientCommand.class, "client", "--transport", "UDP", "localhost:9000");

        assertThat(server.link.transport).isEqualTo(TransportKind.UDP);
        assertThat(server.link.udp()).isEqualTo(new TransportKind.UdpChoice(dev.wirelab.transport.Delivery.RELIABLE, "kcp-turbo"));
        assertThat(server.link.details()).isEqualTo(" (reliable, kcp-turbo)");
        assertThat(client.link.udp()).isEqualTo(TransportKind.UdpChoice.DEFAULT);
    }

    @Test
    void readsDeliveryModesAsPeopleTypeThem() {
        assertThat(TransportKind.UdpChoice.parseDelivery("reliable-ordered")).isEqualTo(dev.wirelab.transport.Delivery.RELIABLE_ORDERED);
        assertThat(TransportKind.UdpChoice.parseDelivery("Unreliable")).isEqualTo(dev.wirelab.transport.Delivery.UNRELIABLE);
        assertThat(TransportKind.UdpChoice.label(dev.wirelab.transport.Delivery.SEQUENCED)).isEqualTo("sequenced");
    }

    @Test
    void refusesAnUnknownTransport() {
        assertThat(run("client", "--transport", "sctp")).isEqualTo(2);
        assertThat(err.text()).contains("unknown transport 'sctp'");
    }

    @Test
    void clientDefaultsToLocalhost8080OverTcpJson() {
        ClientCommand client = parsed(ClientCommand.class, "client");

        assertThat(client.server).isEqualTo(new HostPort("localhost", 8080));
        assertThat(client.link.transport).isEqualTo(TransportKind.TCP);
        assertThat(client.link.codec).isEqualTo(CodecKind.JSON);
        assertThat(client.plain).isFalse();
    }

    @Test
    void clientTakesAnIpv6ServerInBrackets() {
        ClientCommand client = parsed(ClientCommand.class, "client", "--codec", "protobuf", "[::1]:9000");

        assertThat(client.server).isEqualTo(new HostPort("::1", 9000));
        assertThat(client.link.codec).isEqualTo(CodecKind.PROTOBUF);
    }

    @Test
    void clientRefusesABadServerAddress() {
        assertThat(run("client", "localhost:0")).isEqualTo(2);
        assertThat(err.text()).contains("0 is not a port: use 1 to 65535");

        assertThat(run("client", "::1:8080")).isEqualTo(2);
        assertThat(err.text()).contains("put an IPv6 address in brackets");
    }

    @Test
    void clientReportsAnUnknownHostWithoutATrace() {
        assertThat(run("client", "no-such-host.invalid:8080")).isEqualTo(1);
        assertThat(err.text()).contains("wirelab client: unknown host 'no-such-host.invalid'").doesNotContain("Exception");
    }

    @Test
    void refusesAnUnknownOptionWithASuggestion() {
        assertThat(run("server", "--codex", "json")).isEqualTo(2);
        assertThat(err.text()).contains("Unknown options: '--codex', 'json'").contains("Possible solutions: --codec");
    }

    @Test
    void asksForACommandWhenGivenNone() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.text()).contains("missing a command: server, client, impair, compare or report");
    }

    @Test
    void acceptsVerboseAndQuietAfterTheCommandButNotBoth() {
        assertThat(parsed(ServerCommand.class, "server", "--verbose")).isNotNull();
        assertThat(parsed(ClientCommand.class, "client", "-q")).isNotNull();

        assertThat(run("server", "--verbose", "--quiet")).isEqualTo(2);
        assertThat(err.text()).contains("choose --verbose or --quiet, not both");
    }

    @Test
    void explainsTheProgramAndEachCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.text()).contains("Usage: wirelab", "server", "client", "--verbose", "--quiet");

        assertThat(run("server", "--help")).isZero();
        assertThat(out.text()).contains("Usage: wirelab server", "--transport", "--codec", "--port", "--bind",
                "Default: 8080", "Default: 0.0.0.0", "exits 0");

        assertThat(run("client", "--help")).isZero();
        assertThat(out.text()).contains("Usage: wirelab client", "HOST:PORT", "/history [ROOM|@NAME]", "/quit",
                "error NAME_TAKEN", "[lobby] alice: hello");
    }

    @Test
    void compareRefusesImpossibleSettingsBeforeRunningAnything(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out) {
        assertThat(run("compare", "--clients", "1", "--out", out.toString())).isEqualTo(2);
        assertThat(err.text()).contains("clients must be between 2 and 101");
        assertThat(run("compare", "--quick", "--full", "--out", out.toString())).isEqualTo(2);
        assertThat(err.text()).contains("choose --quick or --full, not both");
        assertThat(run("compare", "--profiles", "loss50", "--out", out.toString())).isEqualTo(2);
        assertThat(err.text()).contains("unknown profile 'loss50'");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void comparePresetsSetTheThreeDurationsAndClientsSetTheReceivers() {
        CompareSettings defaults = parsed(CompareCommand.class, "compare").settings();
        CompareSettings quick = parsed(CompareCommand.class, "compare", "--quick").settings();
        CompareSettings full = parsed(CompareCommand.class, "compare", "--full", "--clients", "11").settings();

        assertThat(List.of(defaults.warmup(), defaults.measure(), defaults.drain())).containsExactly(
                Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofMillis(300));
        assertThat(List.of(quick.warmup(), quick.measure(), quick.drain())).containsExactly(
                Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(200));
        assertThat(List.of(full.warmup(), full.measure(), full.drain())).containsExactly(
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(defaults.receivers()).isEqualTo(1);
        assertThat(full.receivers()).isEqualTo(10);
        assertThat(defaults.rate()).isEqualTo(500);
        assertThat(defaults.measuredPosts()).isEqualTo(400);
    }

    @Test
    void reportNeedsAFileAndAnOutputDirectory() {
        assertThat(run("report", "--out", "x")).isEqualTo(2);
        assertThat(err.text()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void printsTheVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.lines().get(0)).matches("wirelab \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void usesTheSameConvertersForEveryCommand() {
        CommandLine cl = Wirelab.commandLine(io);
        assertThat(cl.getSubcommands()).containsOnlyKeys("server", "client", "impair", "compare", "report");
    }
}
