package dev.packline.releases;

/** The audit list's "what" of a release action, for people: the state move or the setting's new value. */
public final class AuditText {
    private AuditText() {
    }

    public static String of(ReleaseAction action, Release before, Release after) {
        String move = Names.of(before.state()) + " -> " + Names.of(after.state());
        return switch (action) {
            case ReleaseAction.SetWhitelist a -> after.rollout().whitelist().size() + " client ids (were "
                    + before.rollout().whitelist().size() + ")";
            case ReleaseAction.SetBrands a -> "brands " + (after.rollout().brands().isEmpty() ? "all" : after.rollout().brands())
                    + " (were " + (before.rollout().brands().isEmpty() ? "all" : before.rollout().brands()) + ")";
            case ReleaseAction.SetPercentage a -> percent(after.rollout().basisPoints()) + " (was " + percent(before.rollout().basisPoints()) + ")";
            case ReleaseAction.AddLabel a -> a.key() + " = " + a.value() + " (" + Names.of(a.type()) + ")";
            case ReleaseAction.DisableLabel a -> a.key();
            case ReleaseAction.AutoPause a -> move + ": " + a.reason();
            default -> move;
        };
    }

    public static String percent(int basisPoints) {
        return java.math.BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
    }
}
