package dev.wirelab.lab;

import dev.wirelab.transport.Impairment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters for the impairment options: {@code --impair}, {@code --spec}, {@code --listen}. */
final class ImpairConverters {

    private ImpairConverters() {
    }

    /**
     * The message of a spec error without its {@code invalid impairment spec "..."} prefix, which only
     * repeats the value picocli already quotes.
     */
    static String reason(IllegalArgumentException e) {
        return e.getCause() instanceof IllegalArgumentException cause ? cause.getMessage() : e.getMessage();
    }

    /** An impairment spec such as {@code loss=5%,delay=20ms,seed=42}; {@code none} for a perfect link. */
    static final class Spec implements ITypeConverter<Impairment> {
        @Override
        public Impairment convert(String value) {
            try {
                return Impairment.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(reason(e));
            }
        }
    }

    /** A duration in the spec's units ({@code 5s}, {@code 500ms}), {@code 0} for none. */
    static final class Interval implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Impairment.parse("delay=" + value).delay();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a duration: expected a number with a unit "
                        + "(ms, s), like 5s or 500ms, or 0");
            }
        }
    }

    /**
     * An address to listen on: {@code HOST:PORT} or {@code [IPV6]:PORT}, port 0 for any free one. The
     * host must be one of this machine's addresses ({@code 0.0.0.0} for all).
     */
    static final class ListenAddress implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            String text = value.strip();
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new TypeConversionException("'" + value + "' has no port: expected HOST:PORT, like 127.0.0.1:9000");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                throw new TypeConversionException("'" + value + "': put an IPv6 address in brackets, as [::1]:9000");
            }
            if (host.isEmpty()) {
                throw new TypeConversionException("'" + value + "' names no host: use 0.0.0.0:PORT for every interface");
            }
            int port;
            try {
                port = HostPort.parsePort(text.substring(colon + 1), 0);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("unknown host '" + host + "'");
            }
        }
    }
}
