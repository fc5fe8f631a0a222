/**
 * Safer upgrades of a queue's versions: rollback to an earlier version ({@link VersionRollback}),
 * automatic clean-up of drained versions ({@link VersionCleaner}), and routing rules that send a
 * share of new jobs to a version other than the current one ({@link RouteStore}, {@link RoutePicker}).
 */
package dev.packline.queue.upgrade;
