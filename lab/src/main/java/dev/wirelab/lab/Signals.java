package dev.wirelab.lab;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Catches SIGINT and SIGTERM so the server can shut down cleanly and still exit 0. A shutdown hook
 * cannot: the JVM has already chosen exit status 130 or 143 by the time hooks run.
 *
 * <p>This uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, the one way the JDK
 * offers, through reflection: javac warns about every direct use of {@code sun.misc} under
 * {@code --release}, the warning cannot be suppressed, and the build compiles with {@code -Werror}.
 * The handler runs on the JVM's signal dispatch thread and must return quickly.
 */
final class Signals {

    private static final System.Logger LOG = System.getLogger(Signals.class.getName());

    private Signals() {
    }

    /**
     * Calls {@code handler} with the signal's name ({@code INT}, {@code TERM}) each time one arrives,
     * instead of the JVM's default of exiting.
     *
     * @return false if signals cannot be caught here (no {@code jdk.unsupported}, or {@code -Xrs});
     *         the JVM's default then applies
     */
    static boolean onTermination(Consumer<String> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method getName = signalClass.getMethod("getName");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (self, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            handler.accept((String) getName.invoke(args[0]));
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        case "toString" -> "wirelab termination handler";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            for (String name : new String[] {"INT", "TERM"}) {
                handle.invoke(null, newSignal.newInstance(name), proxy);
            }
            return true;
        } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException e) {
            Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
            LOG.log(System.Logger.Level.WARNING, () -> "cannot catch SIGINT/SIGTERM (" + cause
                    + "); stopping by signal will not be clean");
            return false;
        }
    }
}
