package dev.packline.releases;

/**
 * One change to an app or its releases: who, when, what. Kept for good in the app's audit list
 * and announced with the change.
 *
 * @param release the release changed, or null for changes to the app itself
 * @param action  the action's name ({@code create}, {@code pause}, {@code set-percentage}...)
 * @param detail  what changed, for people
 */
public record AuditEntry(long at, String actor, String app, String release, String action, String detail) {
}
