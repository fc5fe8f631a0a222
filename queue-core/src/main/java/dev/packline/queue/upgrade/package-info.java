/**
 * Safer upgrades of a queue's versions: rollback to an earlier version ({@link VersionRollback}),
 * automatic clean-up of drained versions ({@link VersionCleaner}), routing rules that send a
 * share of new jobs to a version other than the current one ({@link RouteStore}, {@link RouteTable},
 * {@link RoutedClient}), mixed mode ({@link HandlerVersions}), and shadow runs that copy a share of
 * one version's jobs to a candidate version and compare what both produce ({@link ShadowRun},
 * {@link ShadowStore}, {@link ShadowRuns}, {@link ShadowTap}).
 */
package dev.packline.queue.upgrade;
