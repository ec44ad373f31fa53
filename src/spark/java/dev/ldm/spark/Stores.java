package dev.ldm.spark;

import dev.ldm.LdmException;
import dev.ldm.batch.BatchStore;
import dev.ldm.batch.LocalStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/** The output folder of a Spark run: a local path through java.nio, a URI through Hadoop. */
final class Stores {
    private Stores() {}

    static BatchStore open(String location, Configuration conf) {
        if (BatchStore.isUri(location)) {
            return new HadoopStore(location, conf);
        }
        try {
            return new LocalStore(Path.of(location));
        } catch (InvalidPathException e) {
            throw LdmException.badInput("--out: not a usable path '" + location + "'", e);
        }
    }

    /** The folder as Spark's writers name it: a URI ({@code file:///...} for a local path). */
    static String uri(String location) {
        return BatchStore.isUri(location) ? location : Path.of(location).toAbsolutePath().toUri().toString();
    }
}
