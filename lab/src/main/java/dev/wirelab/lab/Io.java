package dev.wirelab.lab;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The streams a command talks through, so tests can run the real commands in-JVM with a script on
 * {@code in} and capture {@code out}.
 *
 * @param in          commands for the client when there is no terminal
 * @param out         the program's output: replies, events, the listening address
 * @param err         error messages (logs go to the process's stderr through {@link Logging})
 * @param terminal    whether {@code in} is a terminal, so the client edits lines with JLine
 * @param ownsProcess whether this is the real program (configure logging, catch signals), not a test
 */
record Io(InputStream in, PrintWriter out, PrintWriter err, boolean terminal, boolean ownsProcess) {

    Io {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** This process's standard streams, in UTF-8 whatever the locale says. */
    static Io system() {
        return new Io(System.in,
                new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true),
                stdinIsTerminal(), true);
    }

    /**
     * Whether stdin and stdout are a terminal. On Java 21 {@code System.console()} is non-null only
     * then; Java 22 to 24 return a console for redirected streams too, and say which it is with
     * {@code Console.isTerminal()}, which a {@code --release 21} build can only reach by reflection.
     */
    static boolean stdinIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (IllegalAccessException | InvocationTargetException e) {
            return false;
        }
    }
}
