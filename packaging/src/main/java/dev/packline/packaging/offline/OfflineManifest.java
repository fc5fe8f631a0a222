package dev.packline.packaging.offline;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.packline.packaging.PackagingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The manifest of an offline package ({@value #NAME} at the zip's root): what the package is, when
 * it is loaded, which common package it needs, and every file's SHA-256 and size. Parsing lists
 * every problem of a manifest in one error.
 */
public record OfflineManifest(String id, String version, PackageRole role, Optional<String> requiresCommon,
        LoadingStrategy loading, SortedMap<String, FileFacts> files) {
    public static final String NAME = "manifest.json";
    public static final int FORMAT_VERSION = 1;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One file of the package. */
    public record FileFacts(String sha256, long size) {
    }

    public OfflineManifest {
        files = new TreeMap<>(files);
    }

    /** Parses manifest bytes, naming {@code source} and every problem found in the error. */
    public static OfflineManifest parse(byte[] bytes, String source) throws PackagingException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new PackagingException(INVALID_ARGUMENT, "the manifest of " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(INVALID_ARGUMENT, "the manifest of " + source + " cannot be read: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new PackagingException(INVALID_ARGUMENT, "the manifest of " + source + " is not a JSON object");
        }
        if (root.path("manifestVersion").asInt(-1) != FORMAT_VERSION) {
            problems.add("manifestVersion must be " + FORMAT_VERSION + ", not " + root.path("manifestVersion"));
        }
        String id = root.path("id").asText("");
        if (!ID.matcher(id).matches()) {
            problems.add("id must be 1 to 128 letters, digits, '.', '_' or '-' (starting with a letter or digit), not " + root.path("id"));
        }
        String version = root.path("version").asText("");
        if (!ID.matcher(version).matches()) {
            problems.add("version must be 1 to 128 letters, digits, '.', '_' or '-', not " + root.path("version"));
        }
        Optional<PackageRole> role = PackageRole.byJsonName(root.path("role").asText(""));
        if (role.isEmpty()) {
            problems.add("role must be main, sub or common, not " + root.path("role"));
        }
        Optional<String> requiresCommon = Optional.ofNullable(root.get("requiresCommon")).filter(node -> !node.isNull()).map(JsonNode::asText);
        if (requiresCommon.isPresent() && !ID.matcher(requiresCommon.get()).matches()) {
            problems.add("requiresCommon must be a version like 'version', not " + root.get("requiresCommon"));
        }
        if (role.orElse(null) == PackageRole.COMMON && requiresCommon.isPresent()) {
            problems.add("a common package cannot require a common package (requiresCommon must be absent)");
        }
        Optional<LoadingStrategy> loading = LoadingStrategy.byJsonName(root.path("loading").asText(""));
        if (loading.isEmpty()) {
            problems.add("loading must be one of startup, config-change, scene, idle, delayed, blocking, smart, not " + root.path("loading"));
        }
        SortedMap<String, FileFacts> files = new TreeMap<>();
        JsonNode fileNodes = root.path("files");
        if (!fileNodes.isObject()) {
            problems.add("files must be an object of path -> {sha256, size}");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = fileNodes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> file = it.next();
                Optional<String> pathProblem = EntryPaths.problem(file.getKey());
                String sha = file.getValue().path("sha256").asText("");
                long size = file.getValue().path("size").asLong(-1);
                if (pathProblem.isPresent()) {
                    problems.add("files has " + pathProblem.get() + ": '" + file.getKey() + "'");
                } else if (file.getKey().equals(NAME)) {
                    problems.add("files lists the manifest itself");
                } else if (!SHA256.matcher(sha).matches() || size < 0) {
                    problems.add("files['" + file.getKey() + "'] needs a lowercase hex sha256 and a size");
                } else {
                    files.put(file.getKey(), new FileFacts(sha, size));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PackagingException(INVALID_ARGUMENT, "the manifest of " + source + " is invalid: " + String.join("; ", problems));
        }
        return new OfflineManifest(id, version, role.orElseThrow(), requiresCommon, loading.orElseThrow(), files);
    }

    /** The manifest as Packline writes it: fields in a fixed order, files sorted by path, indented, UTF-8. */
    public byte[] toBytes() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("manifestVersion", FORMAT_VERSION);
        json.put("id", id);
        json.put("version", version);
        json.put("role", role.jsonName());
        requiresCommon.ifPresent(common -> json.put("requiresCommon", common));
        json.put("loading", loading.jsonName());
        Map<String, Object> fileJson = new LinkedHashMap<>();
        files.forEach((path, facts) -> {
            Map<String, Object> factJson = new LinkedHashMap<>();
            factJson.put("sha256", facts.sha256());
            factJson.put("size", facts.size());
            fileJson.put(path, factJson);
        });
        json.put("files", fileJson);
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest of strings and numbers always serialises", e);
        }
    }
}
