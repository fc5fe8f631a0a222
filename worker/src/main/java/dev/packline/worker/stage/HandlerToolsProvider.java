package dev.packline.worker.stage;

/**
 * An extra handler version of the stages, offered by a jar on the worker's classpath and found with
 * {@link java.util.ServiceLoader} (the jar lists its class in
 * {@code META-INF/services/dev.packline.worker.stage.HandlerToolsProvider}). This is how a team
 * rehearses new stage code beside the shipped one: the worker's configuration gives the provider's
 * version some queue versions ({@code queues.NAME.handlers}), and a shadow run copies real jobs to
 * one of them and compares what both handlers write (docs/operations.md, "Offering an extra
 * handler version"). The build's own versions 1 and 2 cannot be replaced: a provider claiming a
 * version someone else offers stops the worker at start.
 *
 * <p>An implementation needs a public no-argument constructor; {@link #tools()} is called once, at
 * start, and its tools are then used concurrently by every job of the versions it serves.
 */
public interface HandlerToolsProvider {

    /** The handler version offered, as {@code queues.NAME.handlers} names it (1 or more; 1 and 2 are the build's). */
    int version();

    /** The channel writer and patch maker of this version. */
    HandlerTools tools();
}
