package dev.ldm.serve;

import java.util.Locale;

/** Where a job is: waiting, rendering, or finished one of three ways. */
public enum JobStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    /** The word the API uses: "queued", "running", "done", "failed", "cancelled". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
