package dev.packline.http.input;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of one request that must all differ once normalised ({@link NameRule}): two names that
 * normalise to the same text would become the same file or object key. The second one is refused,
 * naming the field of the first.
 */
public final class DistinctNames {
    private final Map<String, String> fieldByName = new HashMap<>();

    /** Records a normalised name; when an earlier field had it, the problem is noted under {@code field}. */
    public void add(String field, String normalisedName, List<InputProblem> problems) {
        String earlier = fieldByName.putIfAbsent(normalisedName, field);
        if (earlier != null) {
            problems.add(InputProblem.invalid(field, "'" + normalisedName + "' appears twice (same as " + earlier + " after NFC normalisation)"));
        }
    }
}
