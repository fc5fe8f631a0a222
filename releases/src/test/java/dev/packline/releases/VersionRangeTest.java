package dev.packline.releases;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionRangeTest {

    @Test
    void rangesContainWhatTheySay() {
        record Case(String range, String version, boolean contains) {
        }
        for (Case c : List.of(
                new Case("*", "1", true),
                new Case("2.4.x", "2.4.0", true), new Case("2.4.x", "2.4.17", true), new Case("2.4.x", "2.4", true),
                new Case("2.4.x", "2.5.0", false), new Case("2.4.x", "2.40.1", false), new Case("2.*", "2.9.9", true),
                new Case("<105", "104", true), new Case("<105", "105", false), new Case("<=105", "105", true),
                new Case(">=2.0 <3", "2.99.1", true), new Case(">=2.0 <3", "3.0", false), new Case(">=2.0 <3", "1.9", false),
                new Case(">2.4.1", "2.4.1", false), new Case(">2.4.1", "2.4.2", true),
                new Case("=2.4.1", "2.4.1.0", true), new Case("2.4.1", "2.4.1", true), new Case("2.4.1", "2.4.10", false))) {
            assertEquals(c.contains(), VersionRange.parse(c.range()).contains(ClientVersion.parse(c.version())), c.toString());
        }
    }

    @Test
    void malformedRangesAndVersionsAreNamed() {
        for (String bad : List.of("", "abc", ">=", "2.4.y", "1..2", "~2.4")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionRange.parse(bad), bad);
            assertTrue(e.getMessage().contains("version"), e.getMessage());
        }
        for (String bad : List.of("", "v2", "2.", "2.4.1-beta", "1.2.3.4.5.6.7")) {
            assertThrows(IllegalArgumentException.class, () -> ClientVersion.parse(bad), bad);
        }
    }

    @Test
    void percentagesAreReadInHundredths() {
        assertEquals(3000, Rollout.basisPoints("30"));
        assertEquals(1, Rollout.basisPoints("0.01"));
        assertEquals(10_000, Rollout.basisPoints("100"));
        assertEquals(1250, Rollout.basisPoints("12.50"));
        for (String bad : List.of("0.001", "-1", "100.01", "ten", "")) {
            assertThrows(IllegalArgumentException.class, () -> Rollout.basisPoints(bad), bad);
        }
    }
}
