package dev.packline.pipeline;

import dev.packline.settings.Settings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one deployment accepts in a request, beyond the request's own consistency
 * ({@link PackagingRequest#problems()}): where mothers may come from ({@code file://} under the
 * allowed roots, symlinks included; {@code https://} from the allowed hosts; {@code store://} from a
 * configured store), which output stores and notification channels exist, and how many channels
 * one request may have. The worker's mother cache and the API apply the same rules, read from the
 * same configuration sections, so the API refuses at the door what a worker would dead-letter.
 *
 * @param allowedRoots         directories {@code file://} mothers must lie in
 * @param allowedHosts         hosts {@code https://} mothers may come from
 * @param stores               names of the configured object stores
 * @param notificationChannels names of the configured notification channels
 * @param maxChannels          channels per request, at most
 * @param channelPublishers    the publishers a notification channel is limited to (channels not listed take every publisher)
 */
public record RequestRules(List<Path> allowedRoots, Set<String> allowedHosts, Set<String> stores, Set<String> notificationChannels,
                           int maxChannels, Map<String, Set<String>> channelPublishers) {

    public RequestRules(List<Path> allowedRoots, Set<String> allowedHosts, Set<String> stores, Set<String> notificationChannels, int maxChannels) {
        this(allowedRoots, allowedHosts, stores, notificationChannels, maxChannels, Map.of());
    }

    public static final int DEFAULT_MAX_CHANNELS = 5_000;

    public RequestRules {
        allowedRoots = allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        allowedHosts = Set.copyOf(allowedHosts);
        stores = Set.copyOf(stores);
        notificationChannels = Set.copyOf(notificationChannels);
        channelPublishers = Map.copyOf(channelPublishers);
        if (maxChannels < 1) {
            throw new IllegalArgumentException("maxChannels must be at least 1, got " + maxChannels);
        }
    }

    /**
     * Reads the sections that decide what the workers accept ({@code mothers.allowedRoots},
     * {@code mothers.allowedHosts}, the names under {@code stores} and {@code notifications}) from the
     * shared pipeline file (config/pipeline.yml), or a one-file worker configuration holding them;
     * the caller gives the channel cap. Without notification channels a
     * worker sends to its log, so {@code log} is then the one name.
     */
    public static RequestRules read(Settings s, int maxChannels) {
        List<Path> roots = s.strings("mothers.allowedRoots").stream().map(Path::of).toList();
        Set<String> hosts = new LinkedHashSet<>(s.strings("mothers.allowedHosts"));
        Set<String> stores = new LinkedHashSet<>(s.keys("stores"));
        Set<String> notifications = new LinkedHashSet<>(s.keys("notifications"));
        Map<String, Set<String>> publishers = new LinkedHashMap<>();
        for (String channel : notifications) {
            List<String> only = s.strings("notifications." + channel + ".publishers");
            if (!only.isEmpty()) {
                publishers.put(channel, Set.copyOf(only));
            }
        }
        if (notifications.isEmpty()) {
            notifications.add("log");
        }
        return new RequestRules(roots, hosts, stores, notifications, maxChannels, publishers);
    }

    /** Every problem of the request under these rules, each starting with its field ("mother: ..."); empty when it is acceptable. */
    public List<RequestProblem> problems(PackagingRequest request) {
        List<RequestProblem> problems = new ArrayList<>();
        if (request.channels().size() > maxChannels) {
            problems.add(new RequestProblem("channels", request.channels().size() + " channels, at most " + maxChannels + " per request"));
        }
        if (request.mother() != null) {
            String problem = locationProblem(request.mother());
            if (problem != null) {
                problems.add(new RequestProblem("mother", problem));
            }
        }
        for (int i = 0; i < request.diffAgainst().size(); i++) {
            String old = request.diffAgainst().get(i);
            String problem = old == null ? null : locationProblem(old);
            if (problem != null) {
                problems.add(new RequestProblem("diffAgainst[" + i + "]", problem));
            }
        }
        if (request.outputStore() == null || request.outputStore().isBlank()) {
            problems.add(new RequestProblem("outputStore", "required; configured stores: " + String.join(", ", stores)));
        } else if (!stores.contains(request.outputStore())) {
            problems.add(new RequestProblem("outputStore", "'" + request.outputStore() + "' is not a configured store; configured: " + String.join(", ", stores)));
        }
        for (int i = 0; i < request.notifyChannels().size(); i++) {
            String name = request.notifyChannels().get(i);
            if (!notificationChannels.contains(name)) {
                problems.add(new RequestProblem("notifyChannels[" + i + "]", "'" + name + "' is not a configured notification channel; configured: "
                        + String.join(", ", notificationChannels)));
            } else if (channelPublishers.containsKey(name) && !channelPublishers.get(name).contains(request.publisher())) {
                problems.add(new RequestProblem("notifyChannels[" + i + "]", "'" + name + "' is another publisher's notification channel"));
            }
        }
        return problems;
    }

    /** Why an APK location cannot be used, or null. Resolves https hosts (to refuse loopback and private addresses). */
    public String locationProblem(String location) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return "'" + location + "' is not a valid URI: " + e.getMessage();
        }
        return switch (uri.getScheme() == null ? "" : uri.getScheme()) {
            case "file" -> fileProblem(uri, location, allowedRoots);
            case "https" -> httpsProblem(uri, location, allowedHosts, true);
            case "store" -> storeProblem(uri, location);
            default -> "'" + location + "' must be file://, store://NAME/KEY or https://";
        };
    }

    /**
     * Why a {@code file://} location is not a readable file under the roots, or null: the path is
     * normalised first (so {@code ..} cannot climb out), then its real path (symlinks followed) must
     * still lie under a root's real path.
     */
    public static String fileProblem(URI uri, String location, List<Path> roots) {
        Path path;
        try {
            path = Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return "'" + location + "' is not a usable file URI: " + e.getMessage();
        }
        List<Path> normalRoots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        if (normalRoots.stream().noneMatch(path::startsWith)) {
            return location + " is outside the allowed roots " + normalRoots;
        }
        if (!Files.isRegularFile(path)) {
            return location + " does not exist or is not a file";
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return location + " cannot be resolved: " + e.getMessage();
        }
        if (normalRoots.stream().noneMatch(root -> real.startsWith(realOrSelf(root)))) {
            return location + " links outside the allowed roots";
        }
        return null;
    }

    /**
     * Why an {@code https://} location may not be fetched, or null: its host must be allowed and,
     * when {@code resolve} is set, every address it resolves to must be public (not loopback,
     * private, link-local, unique-local, carrier-grade NAT, multicast or unspecified), so an allowed
     * name that points inside the network is refused too.
     */
    public static String httpsProblem(URI uri, String location, Set<String> allowedHosts, boolean resolve) {
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return "'" + location + "' has no host";
        }
        if (uri.getUserInfo() != null) {
            return "'" + location + "' must not carry credentials";
        }
        if (!allowedHosts.contains(host)) {
            return location + ": host " + host + " is not in the allowed hosts " + allowedHosts.stream().sorted().toList();
        }
        if (!resolve) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return location + ": host " + host + " does not resolve";
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return location + ": host " + host + " resolves to the non-public address " + address.getHostAddress();
            }
        }
        return null;
    }

    private String storeProblem(URI uri, String location) {
        String store = uri.getHost();
        String key = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (store == null || !stores.contains(store)) {
            return location + " names store '" + store + "', which is not configured; stores: " + String.join(", ", stores);
        }
        if (key.isEmpty()) {
            return location + " has no object key (store://NAME/KEY)";
        }
        return null;
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT 100.64/10
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) && first < 224;
        }
        return (b[0] & 0xfe) != 0xfc; // IPv6 unique local fc00::/7
    }

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }
}
