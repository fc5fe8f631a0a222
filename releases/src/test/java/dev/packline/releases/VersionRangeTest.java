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
    void versionsAreReadAsTheirDocumentedShapeSays() {
        // the shape the parser reads by hand, as a regular expression: the specification it must agree with
        java.util.regex.Pattern shape = java.util.regex.Pattern.compile("\\d{1,12}(\\.\\d{1,12}){0,5}");
        java.util.Random random = new java.util.Random(17);
        String alphabet = "0123456789..x-\u0661 ";
        int valid = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(30);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(random.nextInt(10) == 0 ? alphabet.length() : 11)));
            }
            String t = text.toString();
            boolean expected = shape.matcher(t).matches();
            assertEquals(expected, ClientVersion.valid(t), "'" + t + "'");
            if (expected) {
                valid++;
                ClientVersion v = ClientVersion.parse(t);
                long[] parts = java.util.Arrays.stream(t.split("\\.")).mapToLong(Long::parseLong).toArray();
                assertTrue(java.util.Arrays.equals(parts, v.parts()), t);
            }
        }
        assertTrue(valid > 5_000, "the generator made too few valid versions to say anything: " + valid);
        assertEquals(ClientVersion.parse("999999999999.0"), ClientVersion.parse("999999999999"));
        assertThrows(IllegalArgumentException.class, () -> ClientVersion.parse("1234567890123"));
    }

    @Test
    void equalVersionsHaveEqualHashCodes() {
        for (List<String> same : List.of(List.of("2.4", "2.4.0", "02.4.0.0"), List.of("105", "105.0"), List.of("0", "0.0.0"))) {
            for (String a : same) {
                for (String b : same) {
                    assertEquals(ClientVersion.parse(a), ClientVersion.parse(b), a + " and " + b);
                    assertEquals(ClientVersion.parse(a).hashCode(), ClientVersion.parse(b).hashCode(), a + " and " + b);
                }
            }
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
