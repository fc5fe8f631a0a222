package dev.packline.queue.upgrade;

/** What recording one side of a shadow comparison found. */
public enum ShadowVerdict {
    /** the other side has not ended yet; whichever ends second compares */
    WAITING,
    /** both produced outputs with the same facts */
    MATCH,
    /** both produced outputs whose facts differ: recorded with both results */
    MISMATCH,
    /** either side failed for good: recorded with both results */
    FAILURE,
    /** a side recorded again after its pair was compared (a redelivery): nothing counted, not a verdict */
    REPEATED
}
