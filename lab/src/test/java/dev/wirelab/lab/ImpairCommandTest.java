package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.ImpairedTransport;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.tcp.TcpTransport;
import dev.wirelab.transport.udp.UdpTransport;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** The {@code impair} command line and the {@code --impair} option; nothing here opens a socket. */
@Timeout(10)
class ImpairCommandTest {

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

    private ImpairCommand impair(String... more) {
        String[] args = new String[more.length + 5];
        args[0] = "impair";
        args[1] = "--listen";
        args[2] = "127.0.0.1:0";
        args[3] = "--to";
        args[4] = "127.0.0.1:8080";
        System.arraycopy(more, 0, args, 5, more.length);
        return parsed(ImpairCommand.class, args);
    }

    @Test
    void readsTheAddressesAndTheProtocol() throws Exception {
        ImpairCommand command = impair("--udp");

        assertThat(command.listen).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        assertThat(command.to).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(command.protocol.udp).isTrue();
        assertThat(command.effectiveImpairment()).isEqualTo(Impairment.NONE);
        assertThat(command.reportEvery).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void buildsTheImpairmentFromTheFlags() {
        ImpairCommand command = impair("--tcp", "--loss", "5%", "--delay", "20ms", "--jitter", "5ms", "--reorder", "1%",
                "--dup", "1%", "--corrupt", "0.1%", "--rate", "1mbit", "--burst", "4", "--reset", "0.5%", "--seed", "42");

        assertThat(command.effectiveImpairment().toSpec()).isEqualTo(
                "loss=5%,burst=4,delay=20ms,jitter=5ms,reorder=1%,duplicate=1%,corrupt=0.1%,reset=0.5%,rate=1mbit,seed=42");
    }

    @Test
    void letsEachFlagOverrideTheSpec() {
        ImpairCommand command = impair("--udp", "--spec", "loss=5%,delay=20ms,hold=3ms,reorder=2%,seed=42",
                "--delay", "50ms", "--seed", "7");

        assertThat(command.effectiveImpairment())
                .isEqualTo(Impairment.parse("loss=5%,delay=50ms,reorder=2%,hold=3ms,seed=7"));
    }

    @Test
    void impairsBothWaysByDefaultWithTheNextSeedTowardTheClient() {
        ImpairCommand command = impair("--udp", "--loss", "5%", "--seed", "42");
        Impairment impairment = command.effectiveImpairment();

        assertThat(command.towardServer(impairment)).isEqualTo(Impairment.parse("loss=5%,seed=42"));
        assertThat(command.towardClient(impairment)).isEqualTo(Impairment.parse("loss=5%,seed=43"));
    }

    @Test
    void impairsOneDirectionOnlyWhenAsked() {
        ImpairCommand toServer = impair("--udp", "--loss", "5%", "--to-server-only");
        ImpairCommand toClient = impair("--udp", "--loss", "5%", "--to-client-only");
        Impairment impairment = Impairment.parse("loss=5%");

        assertThat(toServer.towardServer(impairment).isNone()).isFalse();
        assertThat(toServer.towardClient(impairment).isNone()).isTrue();
        assertThat(toClient.towardServer(impairment).isNone()).isTrue();
        assertThat(toClient.towardClient(impairment).isNone()).isFalse();
    }

    @Test
    void needsExactlyOneProtocol() {
        assertThat(run("impair", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080")).isEqualTo(2);
        assertThat(err.text()).contains("Missing required argument (specify one of these): (--udp | --tcp)")
                .contains("Run 'wirelab impair --help' for usage.");

        assertThat(run("impair", "--udp", "--tcp", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080")).isEqualTo(2);
        assertThat(err.text()).contains("--udp, --tcp are mutually exclusive");
    }

    @Test
    void takesOneDirectionAtMost() {
        assertThat(run("impair", "--udp", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080",
                "--to-server-only", "--to-client-only")).isEqualTo(2);
        assertThat(err.text()).contains("mutually exclusive");
    }

    @Test
    void namesTheFlagWhoseValueIsWrong() {
        assertThat(run("impair", "--udp", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080", "--loss", "150%"))
                .isEqualTo(2);
        assertThat(err.text()).contains("Invalid value for option '--loss': loss=150% is out of range; "
                + "expected a probability from 0% to 100%, like 5% or 0.05");

        assertThat(run("impair", "--tcp", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080", "--delay", "20"))
                .isEqualTo(2);
        assertThat(err.text()).contains("Invalid value for option '--delay': delay=20 has no unit");
    }

    @Test
    void refusesAnImpossibleCombination() {
        assertThat(run("impair", "--udp", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080",
                "--loss", "95%", "--burst", "2")).isEqualTo(2);
        assertThat(err.text()).contains("impossible impairment: burstLength must be at least");
    }

    @Test
    void refusesABadSpecOrListenAddress() {
        assertThat(run("impair", "--udp", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080", "--spec", "latency=5ms"))
                .isEqualTo(2);
        assertThat(err.text()).contains("Invalid value for option '--spec': unknown key 'latency'");

        assertThat(run("impair", "--udp", "--listen", "9000", "--to", "127.0.0.1:8080")).isEqualTo(2);
        assertThat(err.text()).contains("'9000' has no port: expected HOST:PORT");

        assertThat(run("impair", "--udp", "--listen", "::1:9000", "--to", "127.0.0.1:8080")).isEqualTo(2);
        assertThat(err.text()).contains("put an IPv6 address in brackets");
    }

    @Test
    void listensOnAnIpv6AddressInBrackets() throws Exception {
        ImpairCommand command = parsed(ImpairCommand.class, "impair", "--udp", "--listen", "[::1]:9000", "--to", "[::1]:8080");

        assertThat(command.listen).isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 9000));
    }

    @Test
    void explainsItself() {
        assertThat(run("impair", "--help")).isZero();
        assertThat(out.text()).contains("Usage: wirelab impair", "--listen=HOST:PORT", "--to=HOST:PORT", "(--udp | --tcp)",
                "--to-server-only", "loss", "retransmission timeout", "exiting 0", "docs/impairments.md");
    }

    @Test
    void serverAndClientTakeAnImpairment() {
        ServerCommand server = parsed(ServerCommand.class, "server", "--impair", "delay=40ms,loss=1%");
        ClientCommand client = parsed(ClientCommand.class, "client", "--impair", "jitter=5ms");

        assertThat(server.link.impair).isEqualTo(Impairment.parse("loss=1%,delay=40ms"));
        assertThat(client.link.impair).isEqualTo(Impairment.parse("jitter=5ms"));
        assertThat(parsed(ServerCommand.class, "server").link.impair).isEqualTo(Impairment.NONE);
        assertThat(parsed(ClientCommand.class, "client").link.impair).isEqualTo(Impairment.NONE);
    }

    @Test
    void refusesABadImpairmentOnServerOrClient() {
        assertThat(run("server", "--impair", "delay=fast")).isEqualTo(2);
        assertThat(err.text()).contains("Invalid value for option '--impair': delay=fast is not a number");

        assertThat(run("client", "--impair", "loss=5", "localhost:8080")).isEqualTo(2);
        assertThat(err.text()).contains("loss=5 is out of range");
    }

    @Test
    void wrapsTcpOnlyWhenThereIsSomethingToDo() {
        TransportKind.UdpChoice udp = TransportKind.UdpChoice.DEFAULT;
        assertThat(TransportKind.TCP.create(Limits.DEFAULTS, Impairment.NONE, udp)).isInstanceOf(TcpTransport.class);
        assertThat(TransportKind.TCP.create(Limits.DEFAULTS, Impairment.parse("delay=40ms"), udp))
                .isInstanceOfSatisfying(ImpairedTransport.class, transport -> {
                    assertThat(transport.impairment()).isEqualTo(Impairment.parse("delay=40ms"));
                    assertThat(transport.name()).isEqualTo("tcp");
                });
        // UDP impairs its own datagrams: no wrapper.
        assertThat(TransportKind.UDP.create(Limits.DEFAULTS, Impairment.parse("delay=40ms"), udp))
                .isInstanceOf(UdpTransport.class);
    }

    @Test
    void effectiveImpairmentErrorsAreParameterErrors() {
        ImpairCommand command = impair("--udp");
        command.loss = "lots";

        assertThatThrownBy(command::effectiveImpairment).isInstanceOf(ParameterException.class)
                .hasMessageContaining("'--loss'");
    }
}
