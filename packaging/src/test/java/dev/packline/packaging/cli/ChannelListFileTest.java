package dev.packline.packaging.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.Channel;
import dev.packline.packaging.PackagingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelListFileTest {
    @TempDir
    Path directory;

    @Test
    void readsNamesExtrasCommentsAndBlankLines() throws Exception {
        Path file = Files.writeString(directory.resolve("channels.txt"), """
                \uFEFF# store channels
                huawei

                小米\tcity=北京, tier=1
                  # indented comment
                oppo\r
                vivo\ttier=2
                """, StandardCharsets.UTF_8);
        List<Channel> channels = ChannelListFile.read(file, Map.of("src", "ci", "tier", "0"));
        assertEquals(List.of("huawei", "小米", "oppo", "vivo"), channels.stream().map(Channel::name).toList());
        assertEquals(Map.of("src", "ci", "tier", "0"), channels.get(0).extras());
        assertEquals(Map.of("src", "ci", "city", "北京", "tier", "1"), channels.get(1).extras());
        assertEquals(Map.of("src", "ci", "tier", "2"), channels.get(3).extras());
    }

    @Test
    void namesTheLineOfAnInvalidChannel() throws Exception {
        Path file = Files.writeString(directory.resolve("channels.txt"), "good\n# c\nbad/name\n");
        PackagingException error = assertThrows(PackagingException.class, () -> ChannelListFile.read(file, Map.of()));
        assertTrue(error.getMessage().contains("line 3"), error.getMessage());
        assertTrue(error.getMessage().contains("path separator"), error.getMessage());
    }

    @Test
    void refusesMalformedExtras() throws Exception {
        Path file = Files.writeString(directory.resolve("channels.txt"), "good\tnovalue\n");
        PackagingException error = assertThrows(PackagingException.class, () -> ChannelListFile.read(file, Map.of()));
        assertTrue(error.getMessage().contains("line 1: extra 'novalue' is not key=value"), error.getMessage());
    }

    @Test
    void refusesFilesThatAreNotUtf8() throws Exception {
        Path file = Files.write(directory.resolve("channels.txt"), new byte[] {'a', '\n', (byte) 0xc3, (byte) 0x28, '\n'});
        PackagingException error = assertThrows(PackagingException.class, () -> ChannelListFile.read(file, Map.of()));
        assertTrue(error.getMessage().contains("not valid UTF-8"), error.getMessage());
    }

    @Test
    void refusesAFileWithoutChannels() throws Exception {
        Path file = Files.writeString(directory.resolve("channels.txt"), "# nothing\n\n");
        PackagingException error = assertThrows(PackagingException.class, () -> ChannelListFile.read(file, Map.of()));
        assertTrue(error.getMessage().contains("lists no channel"), error.getMessage());
    }
}
