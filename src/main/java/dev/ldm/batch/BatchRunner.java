package dev.ldm.batch;

import dev.ldm.LdmException;
import dev.ldm.flow.StepListener;
import dev.ldm.generate.Generator;
import dev.ldm.io.Sha256;
import dev.ldm.util.Interrupt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders a batch plan into a folder, resumably. Images whose PNG and manifest line are both
 * present (with the same settings and model) are skipped; a batch with any image missing is
 * sampled again whole, in the same company as before, so every image comes out with the bytes an
 * uninterrupted run gives, and only the missing ones are written. Each PNG is renamed into place
 * before its manifest line is appended, so a kill at any moment leaves at worst a PNG without a
 * line, which the next run renders again.
 */
public final class BatchRunner {
    /** Progress in images: {@code done} may be fractional while a batch is being sampled. */
    @FunctionalInterface
    public interface Listener {
        void progress(double done, int total, String where);
    }

    /**
     * @param dir the output folder
     * @param images images in the plan
     * @param rendered images written by this run
     * @param skipped images already done
     * @param dropped manifest lines dropped (torn, stale or naming a missing PNG)
     */
    public record Result(Path dir, int images, int rendered, int skipped, int dropped) {}

    private final Generator generator;
    private final Path dir;
    private final LocalStore store;
    private final String model;
    private final String modelHash;

    public BatchRunner(Generator generator, Path dir, String model, String modelHash) {
        this.generator = generator;
        this.dir = dir;
        this.store = new LocalStore(dir);
        this.model = model;
        this.modelHash = modelHash;
    }

    /**
     * Renders what is missing.
     *
     * @param jobs the plan
     * @param onlyFrom when not null, refuse a folder whose manifest has images from another prompt
     *     file (so two files do not overwrite each other's images in a default folder)
     * @param listener progress
     */
    public Result run(List<BatchJob> jobs, String onlyFrom, Listener listener) {
        BatchPlan.checkSizes(jobs, generator::latentSide);
        List<ManifestEntry> planned = new ArrayList<>();
        jobs.forEach(j -> {
            for (int i = 0; i < j.request().n(); i++) {
                planned.add(j.entry(i, model, modelHash));
            }
        });
        try (BatchManifest manifest = BatchManifest.open(dir)) {
            checkSource(manifest, onlyFrom);
            Set<String> done = manifest.reconcile(planned);
            Set<String> targets = new HashSet<>();
            planned.forEach(e -> targets.add(e.file()));
            targets.add(BatchManifest.FILE);
            store.removeTemps(targets);
            List<BatchJob> pending = jobs.stream().filter(j -> !allDone(j, done)).toList();
            int total = pending.stream().mapToInt(j -> j.request().n()).sum();
            int rendered = 0;
            double base = 0;
            try (Interrupt.Guard guard = Interrupt.guard()) { // Ctrl-C or kill: stop between batches
                for (BatchJob job : pending) {
                    Interrupt.check("after " + rendered + " of " + total + " images (they are kept: the same "
                            + "command renders the rest)");
                    rendered += render(job, done, manifest, base, total, listener);
                    base += job.request().n();
                }
            }
            manifest.finish(planned.stream().map(ManifestEntry::file).toList());
            return new Result(dir, planned.size(), rendered, planned.size() - rendered, manifest.dropped());
        }
    }

    private void checkSource(BatchManifest manifest, String onlyFrom) {
        if (onlyFrom == null) {
            return;
        }
        Set<String> others = new java.util.TreeSet<>(manifest.sourceFiles());
        others.remove(onlyFrom);
        if (!others.isEmpty()) {
            throw LdmException.badInput(dir + ": holds images of another prompt file (" + String.join(", ", others)
                    + "); choose a folder with --out");
        }
    }

    /** Samples one batch and writes its images that are not done; returns how many were written. */
    private int render(BatchJob job, Set<String> done, BatchManifest manifest, double base, int total,
            Listener listener) {
        int n = job.request().n();
        StepListener steps = (s, of) -> listener.progress(base + n * (double) s / of * 0.999, total, job.where());
        List<byte[]> pngs = job.render(generator, model, modelHash, steps);
        int written = 0;
        for (int i = 0; i < n; i++) {
            ManifestEntry entry = job.entry(i, model, modelHash);
            if (done.contains(entry.file())) {
                continue;
            }
            byte[] png = pngs.get(i);
            store.write(entry.file(), png);
            manifest.append(entry.withSha256(Sha256.hex(png)));
            written++;
        }
        listener.progress(base + n, total, job.where());
        return written;
    }

    private static boolean allDone(BatchJob job, Set<String> done) {
        for (int i = 0; i < job.request().n(); i++) {
            if (!done.contains(job.fileName(i))) {
                return false;
            }
        }
        return true;
    }
}
