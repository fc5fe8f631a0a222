package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Output names from the template, and every way two outputs could land on the same file. */
class OutputNamesTest {
    private static final ManifestFacts MANIFEST = new ManifestFacts("dev.packline.sample", "1.4.2", 42, 21, 33, "包线/渠道");
    private static final Path OUT = Path.of("/tmp/out");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{package}-{versionName}-{channel}.apk|dev.packline.sample-1.4.2-小米.apk",
        "{label}_{versionCode}_{channel}.apk|包线_渠道_42_小米.apk",
        "{channel}|小米",
    })
    void fillsThePlaceholders(String template, String expected) throws Exception {
        Map<Channel, Path> plan = OutputNames.plan(template, MANIFEST, List.of(Channel.of("小米")), OUT, Path.of("/tmp/m.apk"));
        assertEquals(OUT.resolve(expected), plan.values().iterator().next());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{package}.apk|has no {channel}",
        "{channel}-{flavor}.apk|unknown placeholder {flavor}",
        "sub/{channel}.apk|path separator",
        "'  '|empty",
    })
    void refusesBadTemplates(String template, String reason) {
        PackagingException error = assertThrows(PackagingException.class,
                () -> OutputNames.plan(template, MANIFEST, List.of(Channel.of("a")), OUT, Path.of("/tmp/m.apk")));
        assertTrue(error.getMessage().contains(reason), error.getMessage());
    }

    @Test
    void refusesNamesThatCollideIgnoringCase() throws Exception {
        PackagingException error = assertThrows(PackagingException.class, () -> OutputNames.plan("{channel}.apk", MANIFEST,
                List.of(Channel.of("Huawei"), Channel.of("huawei")), OUT, Path.of("/tmp/m.apk")));
        assertTrue(error.getMessage().contains("collide"), error.getMessage());
    }

    @Test
    void refusesAChannelListedTwice() throws Exception {
        PackagingException error = assertThrows(PackagingException.class, () -> OutputNames.plan("{channel}.apk", MANIFEST,
                List.of(Channel.of("vivo"), Channel.of("vivo")), OUT, Path.of("/tmp/m.apk")));
        assertTrue(error.getMessage().contains("listed twice"), error.getMessage());
    }

    @Test
    void refusesToOverwriteTheMother() throws Exception {
        PackagingException error = assertThrows(PackagingException.class, () -> OutputNames.plan("{channel}.apk", MANIFEST,
                List.of(Channel.of("m")), OUT, OUT.resolve("m.apk")));
        assertTrue(error.getMessage().contains("overwrite the mother"), error.getMessage());
    }
}
