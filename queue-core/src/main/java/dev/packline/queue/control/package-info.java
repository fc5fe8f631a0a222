/**
 * What admins and the console use to look into a queue version job by job and act on it: browse
 * jobs by state with a cursor and a filter ({@link dev.packline.queue.control.JobBrowser}), act on
 * one job, chosen ones or all matching a filter ({@link dev.packline.queue.control.JobActions}),
 * and list live workers and ask one to recycle or stop ({@link dev.packline.queue.control.WorkerDirectory}).
 * Every change is an atomic script in the broker; these classes only choose the jobs and count.
 */
package dev.packline.queue.control;
