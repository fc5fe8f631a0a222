package dev.packline.pipeline;

import dev.packline.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestRulesTest {
    @TempDir
    Path temp;

    private RequestRules rules(Path root) {
        return new RequestRules(List.of(root), Set.of("cdn.example.com", "localhost", "10.1.2.3", "93.184.216.34", "169.254.169.254", "[::1]",
                "[fd00::1]"), Set.of("local", "oss-cn"), Set.of("ops"), 100);
    }

    @Test
    void locationsAreCheckedLikeTheWorkerChecksThem() throws Exception {
        Path root = Files.createDirectories(temp.resolve("apks"));
        Path inside = Files.writeString(root.resolve("game.apk"), "apk");
        Path outside = Files.writeString(temp.resolve("secret.apk"), "secret");
        Files.createSymbolicLink(root.resolve("link.apk"), outside);
        Files.createSymbolicLink(root.resolve("inner-link.apk"), inside);
        RequestRules rules = rules(root);

        assertNull(rules.locationProblem(inside.toUri().toString()));
        assertNull(rules.locationProblem(root.resolve("inner-link.apk").toUri().toString()), "a link that stays inside is fine");
        assertNull(rules.locationProblem("store://oss-cn/mothers/game.apk"));
        assertNull(rules.locationProblem("https://93.184.216.34/game.apk"));

        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(outside.toUri().toString(), "outside the allowed roots");
        cases.put("file://" + root + "/../secret.apk", "outside the allowed roots");
        cases.put(root.resolve("link.apk").toUri().toString(), "links outside the allowed roots");
        cases.put(root.resolve("missing.apk").toUri().toString(), "does not exist");
        cases.put("https://evil.example.net/a.apk", "not in the allowed hosts");
        cases.put("https://localhost/a.apk", "non-public address 127.0.0.1");
        cases.put("https://10.1.2.3/a.apk", "non-public address 10.1.2.3");
        cases.put("https://169.254.169.254/latest/meta-data", "non-public address");
        cases.put("https://[::1]/a.apk", "non-public address");
        cases.put("https://[fd00::1]/a.apk", "non-public address");
        cases.put("https://u:p@cdn.example.com/a.apk", "credentials");
        cases.put("ftp://cdn.example.com/a.apk", "must be file://");
        cases.put("store://s3/a.apk", "not configured");
        cases.put("store://local/", "no object key");
        cases.put("not a uri at all", "not a valid URI");
        cases.forEach((location, expected) -> {
            String problem = rules.locationProblem(location);
            assertTrue(problem != null && problem.contains(expected), location + " -> " + problem);
        });
    }

    @Test
    void aRequestIsCheckedForStoresNotificationChannelsAndTheChannelCap() throws Exception {
        Path root = Files.createDirectories(temp.resolve("apks"));
        Files.writeString(root.resolve("game.apk"), "apk");
        List<ChannelSpec> many = java.util.stream.IntStream.range(0, 101).mapToObj(i -> new ChannelSpec("c" + i, Map.of())).toList();
        PackagingRequest request = new PackagingRequest("r1", "acme", "com.acme", root.resolve("game.apk").toUri().toString(), many, null,
                "s3", null, null, List.of("file:///etc/hosts"), List.of("ops", "pager"), null);
        List<String> problems = rules(root).problems(request).stream().map(RequestProblem::toString).toList();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("channels: 101 channels, at most 100"));
        assertTrue(problems.get(1).startsWith("diffAgainst[0]: "));
        assertTrue(problems.get(2).startsWith("outputStore: 's3' is not a configured store"));
        assertTrue(problems.get(3).startsWith("notifyChannels[1]: 'pager'"));
    }

    @Test
    void readsTheSectionsOfAWorkerConfiguration() {
        Settings s = Settings.parse("worker.yml", """
                mothers: {allowedRoots: [/data/apks], allowedHosts: [cdn.example.com]}
                stores: {local: {kind: local, path: var/store}, backup: {kind: local, path: /backup}}
                queues: {package: {concurrency: 2}}
                """, Map.of("PACKLINE_MOTHERS_ALLOWED_HOSTS", "cdn.example.com,dl.example.com"));
        RequestRules rules = RequestRules.read(s, 500);
        s.finishReadValues();
        assertEquals(List.of(Path.of("/data/apks")), rules.allowedRoots());
        assertEquals(Set.of("cdn.example.com", "dl.example.com"), rules.allowedHosts(), "environment overrides apply as for the worker");
        assertEquals(Set.of("local", "backup"), rules.stores());
        assertEquals(Set.of("log"), rules.notificationChannels(), "without channels a worker uses its log");
        assertEquals(500, rules.maxChannels());
    }

    @Test
    void aPublishersNotificationChannelIsRefusedToOtherPublishers() throws Exception {
        Settings s = Settings.parse("worker.yml", """
                stores: {local: {kind: local, path: var/store}}
                notifications:
                  ops: {kind: log}
                  acme-hooks: {kind: log, publishers: [acme]}
                """, Map.of());
        RequestRules rules = RequestRules.read(s, 100);
        s.finishReadValues();
        assertEquals(Map.of("acme-hooks", Set.of("acme")), rules.channelPublishers());
        Path root = Files.createDirectories(temp.resolve("apks"));
        for (String publisher : List.of("acme", "rival")) {
            PackagingRequest request = new PackagingRequest("r-" + publisher, publisher, "com.acme", "https://cdn.example.com/game.apk",
                    List.of(new ChannelSpec("c1", Map.of())), null, "local", null, null, List.of(), List.of("ops", "acme-hooks"), null);
            List<String> notify = rules.problems(request).stream().filter(p -> p.field().startsWith("notifyChannels"))
                    .map(RequestProblem::toString).toList();
            assertEquals(publisher.equals("acme") ? List.of() : List.of("notifyChannels[1]: 'acme-hooks' is another publisher's notification channel"),
                    notify);
        }
    }
}
