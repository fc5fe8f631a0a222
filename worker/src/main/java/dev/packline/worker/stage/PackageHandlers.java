package dev.packline.worker.stage;

import dev.packline.pipeline.RunningChannels;
import dev.packline.pipeline.Stage;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.upgrade.ShadowRuns;
import dev.packline.queue.upgrade.ShadowTap;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The package stage's handler versions, each with shadow runs around it: per handler version (a
 * channel writer the build offers), the real stage with its progress reports, and the same
 * writer as the shadow side, so the version a worker serves with handler 2 runs handler 2's
 * writer for its own jobs and for the shadow copies it gets from an older version. Which queue
 * versions each handler serves is the worker's configuration ({@code queues.package.handlers},
 * mixed mode); a worker without that setting serves every version with handler 1.
 */
public final class PackageHandlers {
    private PackageHandlers() {
    }

    /**
     * @param writers channel writers by handler version; "1" is the one this build ships
     * @return the package stage's handlers by handler version, in the writers' order
     */
    public static Map<String, JobHandler> byVersion(StageContext ctx, Map<String, ChannelBuilder> writers, RunningChannels running,
                                                    ShadowRuns shadows, Clock clock) {
        Map<String, JobHandler> handlers = new LinkedHashMap<>();
        writers.forEach((version, writer) -> {
            StageContext own = ctx.withChannels(writer);
            JobHandler real = new ChannelProgress(Stage.PACKAGE, new PackageStage(own, shadows), running, clock);
            handlers.put(version, JobHandler.reporting(new ShadowTap(real, new PackageShadow(own), shadows, own.queues())));
        });
        return handlers;
    }
}
