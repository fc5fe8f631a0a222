package dev.packline.api.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/openapi.json}: the API's OpenAPI 3.1 description, written by hand once as the
 * resource {@value #RESOURCE} and served as is, without a token (it describes the API, not anyone's
 * data). Tests hold it to the routes {@code ApiServer.routing} registers and validate real answers
 * against it, so it cannot drift from the code unnoticed.
 */
public final class OpenApiDocument {
    public static final String ROUTE = "/v1/openapi.json";
    public static final String RESOURCE = "/dev/packline/api/openapi.json";

    private final byte[] document;

    public OpenApiDocument() {
        this.document = read();
    }

    public void serve(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(document);
    }

    /** The document's bytes (read once: the resource is part of the build). */
    public static byte[] read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
        }
    }
}
