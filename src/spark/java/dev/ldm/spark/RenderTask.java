package dev.ldm.spark;

import dev.ldm.batch.BatchJob;
import dev.ldm.batch.BatchSlice;
import dev.ldm.batch.BatchStore;
import dev.ldm.generate.Generator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One Spark task: renders its partition of the plan into the output folder with the executor's
 * pooled model ({@link BatchSlice}: finished images are skipped, each new PNG written atomically) and
 * returns a hash per image for the manifest the driver writes.
 */
final class RenderTask implements FlatMapFunction<Iterator<BatchJob>, BatchSlice.Image> {
    private static final long serialVersionUID = 1L;

    private final ModelKey key;
    private final String out;
    private final String model;
    private final Broadcast<SerializableConfiguration> hadoop;

    /**
     * @param key the model
     * @param out the output folder: an absolute local path or a Hadoop URI
     * @param model the model name PNGs record
     * @param hadoop the driver's Hadoop configuration
     */
    RenderTask(ModelKey key, String out, String model, Broadcast<SerializableConfiguration> hadoop) {
        this.key = key;
        this.out = out;
        this.model = model;
        this.hadoop = hadoop;
    }

    @Override
    public Iterator<BatchSlice.Image> call(Iterator<BatchJob> jobs) {
        TaskContext task = TaskContext.get();
        Faults faults = new Faults(task.partitionId(), task.attemptNumber());
        BatchStore store = Stores.open(out, hadoop.value().value());
        Generator[] borrowed = {null};
        try {
            List<BatchSlice.Image> images = BatchSlice.render(jobs,
                    () -> borrowed[0] != null ? borrowed[0] : (borrowed[0] = GeneratorPool.borrow(key)),
                    store, model, key.modelHash(), faults::written);
            return images.iterator();
        } finally {
            if (borrowed[0] != null) {
                GeneratorPool.giveBack(key, borrowed[0]);
            }
        }
    }
}
