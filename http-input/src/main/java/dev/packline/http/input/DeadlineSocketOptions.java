package dev.packline.http.input;

import io.helidon.common.socket.SocketOptions;

import java.net.Socket;
import java.net.SocketOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The web server's options for accepted sockets, as given, plus one step: each accepted socket is
 * handed to {@link ConnectionDeadlines}. The web server calls {@link #configureSocket} once per
 * accepted connection, before it reads a byte; nothing else there sees the socket.
 */
final class DeadlineSocketOptions implements SocketOptions {
    private final SocketOptions options;
    private final ConnectionDeadlines deadlines;

    DeadlineSocketOptions(SocketOptions options, ConnectionDeadlines deadlines) {
        this.options = options;
        this.deadlines = deadlines;
    }

    @Override
    public void configureSocket(Socket socket) {
        options.configureSocket(socket);
        deadlines.accepted(socket);
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return options.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return options.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return options.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return options.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return options.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return options.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return options.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return options.tcpNoDelay();
    }
}
