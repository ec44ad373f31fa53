package dev.ldm.spark;

import dev.ldm.LdmException;
import dev.ldm.batch.BatchJob;
import dev.ldm.batch.BatchManifest;
import dev.ldm.batch.BatchSlice;
import dev.ldm.batch.BatchStore;
import dev.ldm.batch.ClusterBatch;
import dev.ldm.batch.FolderLock;
import dev.ldm.batch.ManifestEntry;
import dev.ldm.batch.ManifestText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@code ldm batch --spark}: the plan, made and checked on the driver, is split into contiguous
 * partitions; each task renders its part with the executor's pooled model and writes each PNG
 * atomically into the output folder; the driver then writes manifest.jsonl (the same file as
 * {@code ldm batch} writes) and its Parquet copy. A re-run skips every image whose PNG is there with
 * its settings, so a killed driver or a retried task costs only the images not yet written.
 */
public final class SparkBatch implements ClusterBatch {
    /** Partitions per core of the cluster by default: load balance and small retries. */
    static final int PARTITIONS_PER_CORE = 4;

    @Override
    public Result run(Settings s) {
        boolean local = !BatchStore.isUri(s.out());
        String out = local ? Path.of(s.out()).toAbsolutePath().toString() : s.out();
        try (FolderLock lock = local ? FolderLock.take(Path.of(out)) : null;
                SparkSessions.Session session = SparkSessions.open(s.master())) {
            return run(s, out, session);
        }
    }

    private Result run(Settings s, String out, SparkSessions.Session session) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
        Configuration hadoop = jsc.hadoopConfiguration();
        BatchStore store = Stores.open(out, hadoop);
        if (store instanceof HadoopStore h) {
            h.create();
        }
        ManifestText before = ManifestText.parse(store.read(BatchManifest.FILE));
        checkSource(before, s.onlyFrom(), s.out());
        List<ManifestEntry> planned = new ArrayList<>();
        for (BatchJob job : s.jobs()) {
            for (int i = 0; i < job.request().n(); i++) {
                planned.add(job.entry(i, s.model(), s.modelHash()));
            }
        }
        Set<String> names = new HashSet<>();
        planned.forEach(e -> names.add(e.file()));
        names.add(BatchManifest.FILE);
        store.removeTemps(names);

        int partitions = partitions(s.partitions(), s.jobs().size(), jsc.defaultParallelism());
        ModelKey key = new ModelKey(s.modelDir(), s.loras(), s.runtime(), s.device(), s.modelHash());
        Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(hadoop));
        List<BatchSlice.Image> images;
        try {
            jsc.setJobDescription("ldm batch: " + planned.size() + " images into " + s.out());
            images = jsc.parallelize(s.jobs(), partitions)
                    .mapPartitions(new RenderTask(key, out, s.model(), conf)).collect();
        } catch (Exception e) { // SparkException is checked, though Scala does not declare it
            throw SparkErrors.of(e);
        } finally {
            conf.destroy();
            if (jsc.isLocal()) {
                GeneratorPool.closeIdle(); // the executors were this JVM's threads
            }
        }
        List<ManifestEntry> entries = withHashes(planned, images);
        String text = before.assemble(entries, store);
        store.write(BatchManifest.FILE, text.getBytes(StandardCharsets.UTF_8));
        ManifestTable.write(session.spark(), Stores.uri(out));
        store.removeTemps(names); // left by task attempts whose executor died
        int rendered = (int) images.stream().filter(BatchSlice.Image::rendered).count();
        String manifest = !BatchStore.isUri(s.out()) ? Path.of(s.out()).resolve(BatchManifest.FILE).toString()
                : s.out().replaceAll("/+$", "") + "/" + BatchManifest.FILE;
        return new Result(s.out(), manifest, planned.size(), rendered, planned.size() - rendered, before.dropped(),
                partitions);
    }

    /** The requested number of partitions, or 4 per core; never more than there are batches. */
    static int partitions(int requested, int batches, int cores) {
        int p = requested > 0 ? requested : PARTITIONS_PER_CORE * Math.max(1, cores);
        return Math.max(1, Math.min(p, batches));
    }

    /** The planned entries with the hashes the tasks reported: exactly one per planned image. */
    private static List<ManifestEntry> withHashes(List<ManifestEntry> planned, List<BatchSlice.Image> images) {
        String[] sha = new String[planned.size()];
        int first = planned.isEmpty() ? 0 : planned.get(0).index();
        for (BatchSlice.Image img : images) {
            int i = img.index() - first;
            if (i < 0 || i >= sha.length || sha[i] != null) {
                throw new IllegalStateException("the job reported image " + img.index() + " twice or out of plan");
            }
            sha[i] = img.sha256();
        }
        List<ManifestEntry> out = new ArrayList<>(planned.size());
        for (int i = 0; i < sha.length; i++) {
            if (sha[i] == null || planned.get(i).index() != first + i) {
                throw new IllegalStateException("the job reported no image " + planned.get(i).index());
            }
            out.add(planned.get(i).withSha256(sha[i]));
        }
        return out;
    }

    private static void checkSource(ManifestText manifest, String onlyFrom, String dir) {
        if (onlyFrom == null) {
            return;
        }
        Set<String> others = new TreeSet<>(manifest.sourceFiles());
        others.remove(onlyFrom);
        if (!others.isEmpty()) {
            throw LdmException.badInput(dir + ": holds images of another prompt file (" + String.join(", ", others)
                    + "); choose a folder with --out");
        }
    }
}
