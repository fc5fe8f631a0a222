package dev.packline.releases;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An app that receives updates, owned by one publisher (only its tokens may manage it), with its
 * deployments.
 */
public record App(String id, String owner, List<Deployment> deployments, long createdAt) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public App {
        deployments = List.copyOf(deployments);
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public Optional<Deployment> deployment(String name) {
        return deployments.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
