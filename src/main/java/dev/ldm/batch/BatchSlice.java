package dev.ldm.batch;

import dev.ldm.generate.Generator;
import dev.ldm.io.Sha256;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Renders part of a batch plan into a store, without a manifest: what one Spark task does. An image
 * is finished when its file is there and records the planned settings
 * ({@link ManifestEntry#isRecordedIn}), so a task that runs again (retried by Spark, or in a re-run
 * after a kill) skips it. A batch with any image missing is sampled again whole, in the same company
 * as before, so every image has the bytes an uninterrupted run gives, and only the missing ones are
 * written, each atomically. The model is asked for only when something is to be rendered.
 */
public final class BatchSlice {
    /**
     * What became of one planned image.
     *
     * @param index its file-wide index
     * @param sha256 SHA-256 of its PNG
     * @param rendered written now (false: it was there)
     */
    public record Image(int index, String sha256, boolean rendered) implements java.io.Serializable {}

    /** Told after each image written, with the count so far. */
    @FunctionalInterface
    public interface Listener {
        void written(String file, int count);
    }

    private BatchSlice() {}

    /**
     * @param jobs the batches of this slice
     * @param generator the model, asked for at the first batch that has an image missing
     * @param store the output folder
     * @param model model name the PNGs record
     * @param modelHash model hash the PNGs record
     * @param listener told after each image written
     * @return one result per planned image, in plan order
     */
    public static List<Image> render(Iterator<BatchJob> jobs, Supplier<Generator> generator, BatchStore store,
            String model, String modelHash, Listener listener) {
        List<Image> out = new ArrayList<>();
        int written = 0;
        while (jobs.hasNext()) {
            BatchJob job = jobs.next();
            int n = job.request().n();
            String[] done = new String[n]; // SHA-256 of the finished images
            boolean missing = false;
            for (int i = 0; i < n; i++) {
                ManifestEntry entry = job.entry(i, model, modelHash);
                byte[] there = store.read(entry.file());
                if (there != null && entry.isRecordedIn(there)) {
                    done[i] = Sha256.hex(there);
                } else {
                    missing = true;
                }
            }
            List<byte[]> pngs = missing ? job.render(generator.get(), model, modelHash, null) : null;
            for (int i = 0; i < n; i++) {
                if (done[i] != null) {
                    out.add(new Image(job.firstIndex() + i, done[i], false));
                    continue;
                }
                byte[] png = pngs.get(i);
                store.write(job.fileName(i), png);
                out.add(new Image(job.firstIndex() + i, Sha256.hex(png), true));
                listener.written(job.fileName(i), ++written);
            }
        }
        return out;
    }
}
