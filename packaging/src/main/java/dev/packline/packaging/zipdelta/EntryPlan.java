package dev.packline.packaging.zipdelta;

import dev.packline.apkpatch.DeflateRange;
import dev.packline.apkpatch.InflateRange;
import dev.packline.apkpatch.PatchPlan;
import java.util.List;

/**
 * What the maker decided per entry: the old entries to inflate, the new entries to inflate (and so
 * to deflate again on apply), and the counts {@code diff explain} and the report show.
 */
record EntryPlan(List<InflateRange> oldInflate, List<InflateRange> newInflate, List<DeflateRange> deflate, Counts counts) {

    /** How the new APK's entries were handled. */
    record Counts(int entries, int deflated, int unchanged, int recompressed, int notReproducible, int settingsTried,
            List<String> notReproducibleNames) {
    }

    /** The part of the plan that goes into the patch. */
    PatchPlan patchPlan() {
        return new PatchPlan(oldInflate, deflate);
    }
}
