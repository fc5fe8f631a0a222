package dev.packline.worker.stage;

import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;

import java.io.IOException;
import java.nio.file.Path;

/** Makes a verified binary patch from an old mother to a new one (the packaging library's bsdiff). */
public interface PatchMaker {

    record Patch(Path file, long bytes, String sha256) {
    }

    /** @throws RejectJobException when the inputs can never be diffed (too large for the memory budget...) */
    Patch make(Mother oldMother, Mother newMother, Path outDir) throws RejectJobException, IOException;
}
