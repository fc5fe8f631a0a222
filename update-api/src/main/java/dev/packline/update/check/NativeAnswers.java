package dev.packline.update.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.packline.releases.Artifact;
import dev.packline.releases.Release;
import dev.packline.releases.rollout.CheckOutcome;
import dev.packline.releases.rollout.Decision;
import dev.packline.update.http.Json;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The native check answer's JSON, made once per (outcome, release, file) instead of per call: the
 * bytes of {@link CheckAnswer#nativeBody} without its last brace and without {@code patch}, which
 * the increment offers replace anyway. A call appends what the offers add for its client, or just
 * the brace, so its answer is byte for byte what serialising the whole body would give.
 *
 * <p>Entries are keyed by the identity of the snapshot's immutable release and file records, so an
 * entry can never describe a changed release: a change loads new records. The entries of a
 * replaced snapshot are dropped when a call first sees the new one, and the map is emptied past
 * {@link #MAX_ENTRIES}, so it holds at most one snapshot's answers in use.
 */
final class NativeAnswers {
    static final int MAX_ENTRIES = 100_000;
    private static final Answer UP_TO_DATE = Answer.of(CheckAnswer.nativeBody(Decision.UP_TO_DATE));

    /**
     * One answer's JSON, without the offers: {@code whole} as sent when nothing is offered, and
     * {@code open}, the same bytes without the closing brace, to append offers to. Never changed.
     */
    record Answer(byte[] open, byte[] whole) {
        static Answer of(Map<String, Object> body) {
            byte[] whole = json(body);
            return new Answer(Arrays.copyOf(whole, whole.length - 1), whole);
        }

        /** The answer with the offers' fields appended, or {@code whole} itself when there are none. */
        byte[] with(Map<String, Object> offers) {
            if (offers.isEmpty()) {
                return whole;
            }
            byte[] rest = json(offers); // {"patch":...}: its opening brace becomes the comma
            byte[] answer = Arrays.copyOf(open, open.length + rest.length);
            System.arraycopy(rest, 0, answer, open.length, rest.length);
            answer[open.length] = ',';
            return answer;
        }
    }

    /** An answer's key: the very records the decision chose, compared by identity. */
    private record Key(CheckOutcome outcome, Release release, Artifact artifact) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.outcome == outcome && k.release == release && k.artifact == artifact;
        }

        @Override
        public int hashCode() {
            return (outcome.ordinal() * 31 + System.identityHashCode(release)) * 31 + System.identityHashCode(artifact);
        }
    }

    /** The answers made from one snapshot. */
    private record Generation(Object snapshot, Map<Key, Answer> answers) {
    }

    private final AtomicReference<Generation> generation = new AtomicReference<>(new Generation(null, new ConcurrentHashMap<>()));

    /** The answer to a decision made from {@code snapshot}, before the offers. */
    Answer of(Object snapshot, Decision d) {
        if (!d.update()) {
            return UP_TO_DATE;
        }
        Generation g = generation.get();
        if (g.snapshot() != snapshot || g.answers().size() >= MAX_ENTRIES) {
            Generation fresh = new Generation(snapshot, new ConcurrentHashMap<>());
            g = generation.compareAndSet(g, fresh) ? fresh : generation.get();
        }
        Key key = new Key(d.outcome(), d.release(), d.artifact());
        Answer cached = g.answers().get(key);
        if (cached == null) {
            // the body without its patch: the offers put the patch back, after the other fields, as they did in the map
            cached = Answer.of(CheckAnswer.nativeBody(new Decision(d.outcome(), d.release(), d.artifact(), null)));
            g.answers().put(key, cached);
        }
        return cached;
    }

    /** How many answers the current generation holds (tests). */
    int size() {
        return generation.get().answers().size();
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }
}
