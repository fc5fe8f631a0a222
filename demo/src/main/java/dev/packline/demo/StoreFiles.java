package dev.packline.demo;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's local store served over HTTP on loopback (the JDK's file server), as a CDN would serve
 * a real one: the store's {@code publicBaseUrl}, so the channel APKs and patches get the http URLs
 * a release needs and the update API's answers can be downloaded.
 */
final class StoreFiles implements AutoCloseable {
    private final HttpServer server;

    private StoreFiles(HttpServer server) {
        this.server = server;
    }

    static StoreFiles serve(Path store) throws IOException {
        HttpServer server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Files.createDirectories(store).toAbsolutePath(), SimpleFileServer.OutputLevel.NONE);
        server.start();
        return new StoreFiles(server);
    }

    /** The base URL of the store's objects, ending with a slash. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
