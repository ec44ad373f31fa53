package dev.ldm.batch;

import java.util.Set;

/**
 * The output folder of a batch, where its images and manifest go: a local folder
 * ({@link LocalStore}), or in a Spark job any Hadoop file system. Names are plain file names inside
 * the folder ({@code [a-z0-9][a-z0-9.-]*}), checked by every store.
 */
public interface BatchStore {
    /** The folder as the user named it, for messages. */
    String location();

    /** A file's bytes, or null when there is no such file. */
    byte[] read(String name);

    /** Writes a file atomically: a reader sees the old file or the whole new one, never a part. */
    void write(String name, byte[] bytes);

    /**
     * Deletes the temporary files that writers of these names left when they were killed. Only
     * while no one else writes to the folder: a write in progress would fail.
     */
    void removeTemps(Set<String> names);

    /** {@code scheme://...}: a Hadoop file-system URI rather than a local path. */
    static boolean isUri(String location) {
        return location.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }

    /** A plain file name inside the folder, or an internal error: names are ldm's own. */
    static String checkName(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9.-]*") || name.contains("..")) {
            throw new IllegalStateException("unsafe output name " + name);
        }
        return name;
    }

    /**
     * Whether a file name is a temporary file that a writer of one of {@code names} leaves while it
     * writes: {@code .NAME.DIGITS.tmp}.
     */
    static boolean isTempOf(String file, Set<String> names) {
        if (!file.startsWith(".") || !file.endsWith(".tmp")) {
            return false;
        }
        int dot = file.lastIndexOf('.', file.length() - 5); // ".<target>.<digits>.tmp"
        return dot > 1 && file.substring(dot + 1, file.length() - 4).matches("[0-9]+")
                && names.contains(file.substring(1, dot));
    }
}
