package dev.wirelab.lab;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for wirelab's option values. Each turns a bad value into a
 * {@link TypeConversionException} whose message picocli shows after "Invalid value for option ...",
 * so the user reads what is wrong and what would be right.
 */
final class Converters {

    private Converters() {
    }

    static final class Transport implements ITypeConverter<TransportKind> {
        @Override
        public TransportKind convert(String value) {
            try {
                return TransportKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DeliveryMode implements ITypeConverter<dev.wirelab.transport.Delivery> {
        @Override
        public dev.wirelab.transport.Delivery convert(String value) {
            try {
                return TransportKind.UdpChoice.parseDelivery(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Profile implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return new TransportKind.UdpChoice(dev.wirelab.transport.Delivery.RELIABLE_ORDERED, value.strip()).profile();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Codec implements ITypeConverter<CodecKind> {
        @Override
        public CodecKind convert(String value) {
            try {
                return CodecKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A port to listen on: 0 asks the system for a free one. */
    static final class ListenPort implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return HostPort.parsePort(value, 0);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Address implements ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A local address to bind: a literal, or a name that resolves to one of this machine's addresses. */
    static final class BindAddress implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            String host = value.strip();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw new TypeConversionException("empty address: use 0.0.0.0 for every interface");
            }
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("unknown host '" + value + "'");
            }
        }
    }
}
