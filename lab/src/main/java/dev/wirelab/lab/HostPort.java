package dev.wirelab.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A server address as people type it: {@code HOST:PORT}, {@code HOST} alone (port 8080), or an IPv6
 * literal in brackets, {@code [::1]:8080}. Parsing never resolves a name; {@link #resolve()} does.
 * Immutable.
 *
 * @param host a host name or an address literal, without brackets
 * @param port 1 to 65535
 */
record HostPort(String host, int port) {

    /** The seed server's port, and wirelab's. */
    static final int PORT_DEFAULT = 8080;

    HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /**
     * Parses {@code HOST:PORT}, {@code HOST}, {@code [IPV6]:PORT} or {@code [IPV6]}.
     *
     * @throws IllegalArgumentException with a message fit to show the user
     */
    static HostPort parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty address: expected HOST:PORT");
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has no closing ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                port = null;
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                throw new IllegalArgumentException("'" + text + "': expected ':PORT' after ']'");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon < 0) {
                host = s;
                port = null;
            } else if (s.indexOf(':', colon + 1) >= 0) {
                // "::1:8080" could mean two things; brackets make it one.
                throw new IllegalArgumentException("'" + text + "': put an IPv6 address in brackets, as [::1]:8080");
            } else {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' names no host");
        }
        return new HostPort(host, port == null ? PORT_DEFAULT : parsePort(port, 1));
    }

    /**
     * Parses a port number between {@code min} (0 or 1) and 65535.
     *
     * @throws IllegalArgumentException with a message fit to show the user
     */
    static int parsePort(String text, int min) {
        int port;
        try {
            port = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
        if (port < min || port > 65_535) {
            throw new IllegalArgumentException(port + " is not a port: use " + min + " to 65535");
        }
        return port;
    }

    /** Looks the host up; an unknown host gives an unresolved address, which the caller reports. */
    InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** How an address is shown to people and scripts: {@code 127.0.0.1:41234}, {@code [::1]:8080}. */
    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            String host = ip == null ? inet.getHostString() : ip.getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
