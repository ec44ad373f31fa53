package dev.ldm.batch;

import dev.ldm.generate.DiTRuntime;
import dev.ldm.onnx.Device;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Renders a batch plan as a job of a cluster engine instead of in this JVM: {@code ldm batch --spark}.
 * The engine's code (package {@code dev.ldm.spark}) is built only by the Maven profile {@code spark}
 * and found through {@link ServiceLoader}, so that ldm builds and runs without Spark.
 */
public interface ClusterBatch {
    /**
     * What to render and where.
     *
     * @param master the Spark master: {@code local[N]}, {@code local[N,F]}, {@code spark://...}, {@code yarn}, ...
     * @param partitions number of tasks to split the plan into, or 0 for the engine's default
     * @param jobs the plan
     * @param modelDir the model folder as the executors will open it (the same path on every machine)
     * @param loras {@code FILE[:WEIGHT]} as given, merged at load time as {@code ldm batch --lora}
     * @param runtime the DiT's engine
     * @param device where models run
     * @param model the model name PNGs record
     * @param modelHash the model hash PNGs record; executors refuse a model folder with another
     * @param out the output folder: a local path, or a Hadoop file-system URI ({@code hdfs://...})
     * @param onlyFrom when not null, refuse a folder whose manifest has images of another prompt file
     */
    record Settings(String master, int partitions, List<BatchJob> jobs, String modelDir, List<String> loras,
            DiTRuntime runtime, Device device, String model, String modelHash, String out, String onlyFrom) {}

    /**
     * @param dir the output folder
     * @param manifest its manifest.jsonl
     * @param images images in the plan
     * @param rendered images written by this run
     * @param skipped images already there
     * @param dropped manifest lines dropped (torn, stale, or naming a missing PNG)
     * @param partitions the tasks the plan was split into
     */
    record Result(String dir, String manifest, int images, int rendered, int skipped, int dropped, int partitions) {}

    Result run(Settings settings);

    /** The Spark engine, or empty when this build or class path has no Spark. */
    static Optional<ClusterBatch> spark() {
        ClassLoader loader = ClusterBatch.class.getClassLoader();
        try {
            Class.forName("org.apache.spark.SparkContext", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        try {
            return ServiceLoader.load(ClusterBatch.class, loader).findFirst();
        } catch (ServiceConfigurationError | LinkageError e) {
            return Optional.empty();
        }
    }
}
