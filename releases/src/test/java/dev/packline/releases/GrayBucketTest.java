package dev.packline.releases;

import dev.packline.releases.rollout.GrayBucket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrayBucketTest {

    @Test
    void murmur3MatchesTheReferenceVectors() throws Exception {
        record Vector(String input, int hash) {
        }
        // MurmurHash3_x86_32, seed 0, from the reference implementation's published outputs
        for (Vector v : List.of(new Vector("", 0), new Vector("hello", 0x248bfa47),
                new Vector("The quick brown fox jumps over the lazy dog", 0x2e4ff723), new Vector("a", 0x3c2569b2),
                new Vector("abc", 0xb3dd93fa), new Vector("abcd", 0x43ed676a))) {
            var method = GrayBucket.class.getDeclaredMethod("murmur3", byte[].class);
            method.setAccessible(true);
            assertEquals(v.hash(), (int) method.invoke(null, (Object) v.input().getBytes(StandardCharsets.UTF_8)), v.input());
        }
    }

    @Test
    void thirtyPercentOfRandomIdsIsThirtyPercentWithinHalfAPoint() {
        Random random = new Random(17);
        for (String salt : List.of("a1b2c3d4", "release-2", "ffff0000")) {
            int in = 0;
            for (int i = 0; i < 100_000; i++) {
                String id = new UUID(random.nextLong(), random.nextLong()).toString();
                if (GrayBucket.of(salt, id) < 3000) {
                    in++;
                }
            }
            assertEquals(30.0, in / 1000.0, 0.5, "salt " + salt);
        }
    }

    @Test
    void shortNumericIdsSpreadEvenlyToo() {
        // the letters-to-digits scheme fails worst on ids like these; count every tenth of the buckets
        int[] tenths = new int[10];
        for (int i = 0; i < 100_000; i++) {
            tenths[GrayBucket.of("s", Integer.toString(i)) / 1000]++;
        }
        for (int t : tenths) {
            assertEquals(10_000, t, 500);
        }
    }

    @Test
    void raisingThePercentageOnlyAddsClientsAndLoweringOnlyRemoves() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add("device-" + i);
        }
        int[] steps = {0, 1, 100, 500, 2500, 2501, 5000, 9999, 10_000};
        Set<String> previous = new HashSet<>();
        for (int points : steps) {
            Set<String> cohort = cohort(ids, "salt-x", points);
            assertTrue(cohort.containsAll(previous), "growing to " + points + " dropped a client");
            previous = cohort;
        }
        assertEquals(ids.size(), previous.size());
        for (int i = steps.length - 1; i > 0; i--) {
            Set<String> lower = cohort(ids, "salt-x", steps[i - 1]);
            assertTrue(cohort(ids, "salt-x", steps[i]).containsAll(lower), "shrinking to " + steps[i - 1] + " added a client");
        }
    }

    @Test
    void differentReleasesLeadWithDifferentClients() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            ids.add("client-" + i);
        }
        Set<String> first = cohort(ids, "release-a-salt", 1000);
        Set<String> second = cohort(ids, "release-b-salt", 1000);
        Set<String> both = new HashSet<>(first);
        both.retainAll(second);
        // independent 10% cohorts share about 1% of clients; the same salt would share all 10%
        assertEquals(0.01, both.size() / (double) ids.size(), 0.003);
    }

    private static Set<String> cohort(List<String> ids, String salt, int points) {
        Set<String> in = new HashSet<>();
        for (String id : ids) {
            if (GrayBucket.of(salt, id) < points) {
                in.add(id);
            }
        }
        return in;
    }
}
