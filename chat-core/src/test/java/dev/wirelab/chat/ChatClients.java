package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Function;

/** Short ways to get a {@link ChatClient} into the chat, for the end-to-end tests. */
final class ChatClients {

    /** How long a test waits for one reply: generous, for a loaded 2-core machine. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private ChatClients() {
    }

    /** Connects, says HELLO asking for PUSH, and registers {@code name}: a wirelab client in the lobby. */
    static ChatClient pushUser(Transport transport, Codec codec, SocketAddress server, String name,
                               ChatListener listener) throws IOException {
        return pushUser(transport, codec, server, name, listener, ChatClient.KEEPALIVE_DEFAULT);
    }

    /** A push user that pings after {@code keepAlive} of quiet (for a server with a short idle timeout). */
    static ChatClient pushUser(Transport transport, Codec codec, SocketAddress server, String name,
                               ChatListener listener, Duration keepAlive) throws IOException {
        ChatClient client = ChatClient.connect(transport, codec, server, listener, keepAlive);
        try {
            Reply.Negotiated negotiated = ask(client,
                    id -> new Request.Hello(id, "wirelab-test", EnumSet.of(Capability.PUSH)), Reply.Negotiated.class);
            assertThat(negotiated.capabilities()).contains(Capability.PUSH);
            assertThat(ask(client, id -> new Request.Register(id, name, Password.NONE), Reply.Registered.class).name())
                    .isEqualTo(name);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** Connects and registers {@code name} without HELLO: a seed-style client that is never pushed to. */
    static ChatClient seedUser(Transport transport, Codec codec, SocketAddress server, String name,
                               ChatListener listener) throws IOException {
        ChatClient client = ChatClient.connect(transport, codec, server, listener);
        try {
            assertThat(ask(client, id -> new Request.Register(id, name, Password.NONE), Reply.Registered.class).name())
                    .isEqualTo(name);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** Calls and checks the reply is a {@code type} answering this very request. */
    static <R extends Reply> R ask(ChatClient client, Function<RequestId, ? extends Request> request, Class<R> type)
            throws IOException {
        RequestId[] sent = new RequestId[1];
        Reply reply = client.call(id -> {
            sent[0] = id;
            return request.apply(id);
        }, REPLY_TIMEOUT);
        assertThat(reply).as("reply to %s", sent[0]).isInstanceOf(type);
        assertThat(reply.id()).as("id of the reply").isEqualTo(sent[0]);
        return type.cast(reply);
    }
}
