package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;
import dev.packline.api.http.OpenApiDocument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The producer API's OpenAPI document as a contract the tests hold real traffic to: finds the
 * operation of a method and concrete path, and validates bodies with networknt's JSON Schema
 * validator in the OpenAPI 3.1 dialect against the schema the document gives for that request or
 * that response status. A status the document does not list for the operation is a failure: the
 * {@code default} response covers only refusals the tests do not provoke.
 */
final class OpenApiContract {
    private static final String IRI = "https://packline.example.com/v1/openapi.json";

    final String text;
    final JsonNode document;
    private final SchemaRegistry registry;

    OpenApiContract() throws IOException {
        this.text = new String(OpenApiDocument.read(), StandardCharsets.UTF_8);
        this.document = ApiFixture.JSON.readTree(text);
        this.registry = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance(), b -> b.schemas(Map.of(IRI, text)));
    }

    /** The path template of the document that a concrete path matches; empty when none does. */
    Optional<String> template(String path) {
        for (Iterator<String> it = document.get("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            String regex = "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(regex, path)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    /** Whether the document has an operation for this method and concrete path. */
    boolean documents(String method, String path) {
        return template(path).map(t -> !document.at("/paths/" + escape(t) + "/" + method.toLowerCase(Locale.ROOT)).isMissingNode()).orElse(false);
    }

    /** Every problem of a response (status and body) against the document; empty when it conforms. */
    List<String> checkResponse(String method, String path, int status, String contentType, JsonNode body) {
        return checkResponse(method, path, status, contentType, body, false);
    }

    /**
     * As above; with {@code orDefault} a status the operation does not list is held to its
     * {@code default} response (the error shape), as for refusals of framing or headers that any
     * route may answer.
     */
    List<String> checkResponse(String method, String path, int status, String contentType, JsonNode body, boolean orDefault) {
        String operation = operationPointer(method, path);
        JsonNode responses = document.at(operation + "/responses");
        String key = Integer.toString(status);
        if (!responses.has(key) && orDefault && responses.has("default")) {
            key = "default";
        }
        if (!responses.has(key)) {
            return List.of(method + " " + path + ": status " + status + " is not documented (documented: " + names(responses) + ")");
        }
        String response = operation + "/responses/" + key;
        if (document.at(response).has("$ref")) {
            response = document.at(response).get("$ref").asText().substring(1);
        }
        JsonNode content = document.at(response + "/content");
        if (content.isMissingNode()) {
            return body == null ? List.of() : List.of(method + " " + path + " " + status + ": a body where the document says none");
        }
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            return List.of(method + " " + path + " " + status + ": content type '" + mediaType + "' is not documented (" + names(content) + ")");
        }
        if (body == null) {
            return List.of();
        }
        return validate(response + "/content/" + escape(mediaType) + "/schema", body, method + " " + path + " " + status);
    }

    /** Every problem of a JSON request body against the operation's request schema. */
    List<String> checkRequest(String method, String path, JsonNode body) {
        String pointer = operationPointer(method, path) + "/requestBody/content/application~1json/schema";
        if (document.at(pointer).isMissingNode()) {
            return List.of(method + " " + path + ": the document describes no JSON request body");
        }
        return validate(pointer, body, method + " " + path + " request");
    }

    /** Every problem of a value against a named component schema ({@code JobSummary}). */
    List<String> checkSchema(String component, JsonNode value) {
        return validate("/components/schemas/" + component, value, component);
    }

    private List<String> validate(String pointer, JsonNode value, String what) {
        Schema schema = registry.getSchema(SchemaLocation.of(IRI + "#" + pointer));
        List<String> problems = new ArrayList<>();
        for (Error e : schema.validate(value)) {
            problems.add(what + ": " + e);
        }
        return problems;
    }

    private String operationPointer(String method, String path) {
        String template = template(path).orElseThrow(() -> new AssertionError("no path of the document matches " + path));
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        if (document.at(pointer).isMissingNode()) {
            throw new AssertionError("the document has no " + method + " " + template);
        }
        return pointer;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
