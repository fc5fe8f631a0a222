package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Channel names end up in file names, ZIP entries and client apps: what is accepted and what is not, and why. */
class ChannelNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"huawei", "小米应用商店", "oppo-2024_v.1", "a", "渠道 空格 中间", "x.y", "🙂emoji"})
    void acceptsOrdinaryAndChineseNames(String name) throws Exception {
        assertEquals(name, Channel.of(name).name());
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''|empty",
        "a/b|path separator",
        "a\\b|path separator",
        "..|'..'",
        "a..b|'..'",
        "' lead'|white space",
        "'trail '|white space",
    })
    void refusesNamesThatCouldEscapeOrConfuse(String name, String reason) {
        PackagingException error = assertThrows(PackagingException.class, () -> Channel.of(name));
        assertEquals(PackagingException.Problem.INVALID_ARGUMENT, error.problem());
        assertTrue(error.getMessage().contains(reason), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "line\nbreak", "tab\there", "bell\u0007", "zero\u200bwidth", "\u2028sep"})
    void refusesControlAndInvisibleCharacters(String name) {
        PackagingException error = assertThrows(PackagingException.class, () -> Channel.of(name));
        assertTrue(error.getMessage().contains("control or invisible"), error.getMessage());
        assertTrue(!error.getMessage().contains("\u0000") && !error.getMessage().contains("\n"), "the message escapes them");
    }

    @org.junit.jupiter.api.Test
    void boundsTheLengthInUtf8Bytes() throws Exception {
        Channel.of("渠".repeat(42));
        PackagingException error = assertThrows(PackagingException.class, () -> Channel.of("渠".repeat(43)));
        assertTrue(error.getMessage().contains("longer than 128 UTF-8 bytes"), error.getMessage());
    }

    @org.junit.jupiter.api.Test
    void refusesTextThatIsNotUtf8() {
        PackagingException error = assertThrows(PackagingException.class, () -> Channel.of("bad\ud800"));
        assertTrue(error.getMessage().contains("not valid UTF-8"), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "channel|v|reserved",
        "has space|v|must be 1 to 64",
        "''|v|must be 1 to 64",
        "k|bell\u0007ring|control characters",
    })
    void checksExtras(String key, String value, String reason) {
        PackagingException error = assertThrows(PackagingException.class, () -> Channel.of("huawei", Map.of(key, value)));
        assertTrue(error.getMessage().contains(reason), error.getMessage());
    }
}
