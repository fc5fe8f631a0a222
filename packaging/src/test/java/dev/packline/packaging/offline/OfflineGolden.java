package dev.packline.packaging.offline;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/** The committed golden offline packages (src/test/resources/.../offline/golden) and the directories they were packed from. */
final class OfflineGolden {
    static final OfflinePackageWriter.Identity NEWS_1_0 = new OfflinePackageWriter.Identity("news", "1.0.0", PackageRole.MAIN,
            Optional.of("2.0.0"), LoadingStrategy.SCENE);
    static final OfflinePackageWriter.Identity NEWS_1_1 = new OfflinePackageWriter.Identity("news", "1.1.0", PackageRole.MAIN,
            Optional.of("2.0.0"), LoadingStrategy.SCENE);

    private OfflineGolden() {
    }

    static Path file(String name) {
        try {
            return Path.of(OfflineGolden.class.getResource("golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
