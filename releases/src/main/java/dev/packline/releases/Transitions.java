package dev.packline.releases;

import dev.packline.releases.ReleaseAction.AddLabel;
import dev.packline.releases.ReleaseAction.AutoPause;
import dev.packline.releases.ReleaseAction.DisableLabel;
import dev.packline.releases.ReleaseAction.GoFull;
import dev.packline.releases.ReleaseAction.Pause;
import dev.packline.releases.ReleaseAction.Resume;
import dev.packline.releases.ReleaseAction.Rollback;
import dev.packline.releases.ReleaseAction.SetBrands;
import dev.packline.releases.ReleaseAction.SetPercentage;
import dev.packline.releases.ReleaseAction.SetWhitelist;
import dev.packline.releases.ReleaseAction.Start;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.packline.releases.ReleaseState.DRAFT;
import static dev.packline.releases.ReleaseState.FULL;
import static dev.packline.releases.ReleaseState.PAUSED;
import static dev.packline.releases.ReleaseState.ROLLED_BACK;
import static dev.packline.releases.ReleaseState.ROLLING_OUT;

/**
 * The release state machine: which action is allowed in which state, and the release it makes.
 * <pre>
 *   draft --start--> rolling out --full--> full
 *     |                |  ^                 |
 *     |          pause |  | resume          | rollback
 *     |                v  |                 v
 *     +--full-->     paused --rollback--> rolled back (final)
 * </pre>
 * Rollout settings (whitelist, brands, percentage) change while a release is a draft, rolling out
 * or paused; labels change in any state but rolled back. Other releases never matter here: a
 * hotfix may be created and rolled out while another rollout is unfinished.
 */
public final class Transitions {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern BRAND = Pattern.compile("[A-Za-z0-9 _.-]{1,64}");
    private static final Set<ReleaseState> ROLLOUT_EDITABLE = Set.of(DRAFT, ROLLING_OUT, PAUSED);

    private Transitions() {
    }

    /** The release after {@code action}, or a {@link ReleaseException} saying why it is refused. */
    public static Release apply(Release r, ReleaseAction action, String actor, long now) {
        ReleaseState s = r.state();
        Rollout rollout = r.rollout();
        return switch (action) {
            case Start a -> r.next(require(r, a, s == DRAFT, ROLLING_OUT), rollout, r.labels(), now);
            case Pause a -> r.next(require(r, a, s == ROLLING_OUT, PAUSED), rollout, r.labels(), now);
            case AutoPause a -> r.next(require(r, a, s == ROLLING_OUT, PAUSED), rollout, r.labels(), now);
            case Resume a -> r.next(require(r, a, s == PAUSED, ROLLING_OUT), rollout, r.labels(), now);
            case GoFull a -> r.next(require(r, a, s == DRAFT || s == ROLLING_OUT || s == PAUSED, FULL), rollout, r.labels(), now);
            case Rollback a -> r.next(require(r, a, s != ROLLED_BACK, ROLLED_BACK), rollout, r.labels(), now);
            case SetWhitelist a -> {
                require(r, a, ROLLOUT_EDITABLE.contains(s), s);
                if (a.clientIds().size() > Rollout.MAX_WHITELIST) {
                    throw new ReleaseException(Refusal.INVALID, "a whitelist holds at most " + Rollout.MAX_WHITELIST + " client ids");
                }
                checkAll(a.clientIds(), CLIENT_ID, "client id", "1 to 128 letters, digits, '_', '.', ':' or '-'");
                yield r.next(s, rollout.withWhitelist(a.clientIds()), r.labels(), now);
            }
            case SetBrands a -> {
                require(r, a, ROLLOUT_EDITABLE.contains(s), s);
                checkAll(a.brands(), BRAND, "brand", "1 to 64 letters, digits, spaces, '_', '.' or '-'");
                yield r.next(s, rollout.withBrands(a.brands()), r.labels(), now);
            }
            case SetPercentage a -> {
                require(r, a, ROLLOUT_EDITABLE.contains(s), s);
                if (a.basisPoints() < 0 || a.basisPoints() > Rollout.ALL) {
                    throw new ReleaseException(Refusal.INVALID, "a gray percentage is 0 to 100 in steps of 0.01");
                }
                yield r.next(s, rollout.withBasisPoints(a.basisPoints()), r.labels(), now);
            }
            case AddLabel a -> {
                require(r, a, s != ROLLED_BACK, s);
                String problem = Label.problem(a.key(), a.type(), a.value());
                if (problem != null) {
                    throw new ReleaseException(Refusal.INVALID, problem);
                }
                if (r.labels().stream().anyMatch(l -> l.key().equals(a.key()) && l.enabled())) {
                    throw new ReleaseException(Refusal.CONFLICT, "label '" + a.key() + "' is already enabled on release " + r.id()
                            + "; disable it first (labels are never overwritten)");
                }
                List<Label> labels = new ArrayList<>(r.labels());
                labels.add(new Label(a.key(), a.type(), a.value(), true, now, actor));
                yield r.next(s, rollout, labels, now);
            }
            case DisableLabel a -> {
                require(r, a, s != ROLLED_BACK, s);
                List<Label> labels = new ArrayList<>();
                boolean found = false;
                for (Label l : r.labels()) {
                    boolean hit = l.enabled() && l.key().equals(a.key());
                    found |= hit;
                    labels.add(hit ? l.disabled(now, actor) : l);
                }
                if (!found) {
                    throw new ReleaseException(Refusal.NOT_FOUND, "release " + r.id() + " has no enabled label '" + a.key() + "'");
                }
                yield r.next(s, rollout, labels, now);
            }
        };
    }

    private static ReleaseState require(Release r, ReleaseAction action, boolean allowed, ReleaseState next) {
        if (!allowed) {
            throw new ReleaseException(Refusal.NOT_ALLOWED, "release " + r.id() + " is " + Names.of(r.state()) + "; '" + action.name()
                    + "' is not allowed then");
        }
        return next;
    }

    private static void checkAll(List<String> values, Pattern shape, String what, String rule) {
        for (String v : values) {
            if (v == null || !shape.matcher(v).matches()) {
                throw new ReleaseException(Refusal.INVALID, "'" + (v == null ? "" : v.length() > 40 ? v.substring(0, 40) + "..." : v)
                        + "' is not a valid " + what + ": " + rule);
            }
        }
    }
}
