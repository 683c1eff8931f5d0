package dev.wirelab.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code wirelab} program: {@code wirelab server} runs a chat server, {@code wirelab client}
 * chats from a terminal or runs a script of commands from stdin, {@code wirelab impair} relays
 * between a client and a server through a bad network, {@code wirelab compare} measures transports,
 * delivery modes and codecs against each other.
 *
 * <p>Exit status: 0 on success (a server stopped by SIGINT or SIGTERM included), 1 when the work
 * failed (cannot listen, cannot connect, the connection ended under the client), 2 for a command
 * line that makes no sense. Logs go to stderr, one line each ({@code --verbose}, {@code --quiet});
 * stdout carries only the program's output.
 *
 * <p>Threads: {@link #main} runs the chosen command on the main thread; the commands start what
 * other threads they need and stop them before returning.
 */
@Command(name = "wirelab",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelab.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "One chat system over interchangeable transports (tcp, udp) and codecs "
                + "(json, protobuf), and a lab that compares them.",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  wirelab server --codec protobuf --port 9000",
            "  wirelab client --codec protobuf localhost:9000",
            "  printf '/register alice\\nhello\\n/quit\\n' | wirelab client localhost:8080",
            "  wirelab compare --quick --transports tcp,udp-reliable-ordered",
            "  wirelab impair --tcp --listen 127.0.0.1:9000 --to 127.0.0.1:8080 --loss 2%% --delay 20ms",
            "",
            "Run 'wirelab COMMAND --help' for a command's options."})
public final class Wirelab implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log wirelab's own records down to DEBUG (on stderr); other libraries' from INFO.")
    private boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Log warnings and errors only.")
    private boolean quiet;

    private Wirelab() {
    }

    /** Runs the program and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(Io.system(), args));
    }

    /** Runs the program with these streams and returns its exit status, without exiting. */
    static int run(Io io, String... args) {
        return commandLine(io).execute(args);
    }

    /** The command line with every subcommand, wired to {@code io}. */
    static CommandLine commandLine(Io io) {
        Wirelab top = new Wirelab();
        CommandLine cl = new CommandLine(top);
        cl.addSubcommand("server", new ServerCommand(io));
        cl.addSubcommand("client", new ClientCommand(io));
        cl.addSubcommand("impair", new ImpairCommand(io));
        cl.addSubcommand("compare", new CompareCommand(io));
        cl.addSubcommand("report", new ReportCommand(io));
        cl.setOut(io.out());
        cl.setErr(io.err());
        cl.setParameterExceptionHandler(Wirelab::badCommandLine);
        cl.setExecutionExceptionHandler((e, command, parseResult) -> {
            PrintWriter err = command.getErr();
            err.println(command.getCommandSpec().qualifiedName() + ": " + e);
            if (top.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return command.getCommandSpec().exitCodeOnExecutionException();
        });
        cl.setExecutionStrategy(parseResult -> {
            if (top.verbose && top.quiet) {
                throw new ParameterException(cl, "choose --verbose or --quiet, not both");
            }
            if (io.ownsProcess()) {
                Logging.configure(top.verbose ? Logging.Verbosity.VERBOSE
                        : top.quiet ? Logging.Verbosity.QUIET : Logging.Verbosity.NORMAL);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    /** {@code wirelab} alone: say what is missing rather than silently succeeding. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing a command: server, client, impair, compare or report");
    }

    /** One clear line and a pointer to --help, rather than a whole usage text after every typo. */
    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** This build's version, from a resource Maven fills in. */
    static String version() {
        try (InputStream in = Wirelab.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
    }

    /** What {@code --version} prints. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "wirelab " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.home") + ")"};
        }
    }
}
