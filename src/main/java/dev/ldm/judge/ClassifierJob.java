package dev.ldm.judge;

import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.metrics.Accuracy;
import dev.ldm.metrics.TopK;
import dev.ldm.optim.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code ldm eval classifier train}: trains a judge on a captioned folder of real images, measures
 * its ceiling on held-out real images (a folder, or a seeded class-stratified fraction of the data)
 * and writes it to a folder that {@link TrainedClassifier#open} reads.
 *
 * @param data training folder (images + same-name .txt captions)
 * @param heldout held-out folder, or null to hold out {@code holdout} of {@code data}
 * @param holdout fraction of each class held out when {@code heldout} is null
 * @param out classifier folder to write
 * @param rule caption → class label
 * @param size input side in pixels
 * @param widths channels per stage
 * @param training optimizer settings
 * @param checkpointEvery steps between checkpoints in {@code out/checkpoints/classifier}
 * @param resume continue from that checkpoint when there is one (otherwise start over)
 */
public record ClassifierJob(Path data, Path heldout, double holdout, Path out, LabelRule rule, int size,
        List<Integer> widths, ClassifierTrainConfig training, int checkpointEvery, boolean resume) {
    /** Where the checkpoint lives inside the output folder. */
    public static final String CHECKPOINT_DIR = "checkpoints/classifier";

    public ClassifierJob {
        if (checkpointEvery < 1) {
            throw LdmException.badInput("--checkpoint-every must be >= 1");
        }
    }

    /** Trains, measures and saves; returns what was written to {@code classifier.json}. */
    public ClassifierInfo run(Consumer<String> warn, ClassifierTrainer.Listener listener) {
        long t0 = System.nanoTime();
        LabeledImages all = LabeledImages.load(data, size, rule, warn);
        LabeledImages train;
        LabeledImages held;
        String heldoutSource;
        if (heldout != null) {
            train = all;
            held = LabeledImages.load(heldout, size, rule, warn);
            heldoutSource = heldout.toString();
        } else {
            LabeledImages[] parts = all.split(holdout, training.seed());
            train = parts[0];
            held = parts[1];
            heldoutSource = "seeded class-stratified " + holdout + " of " + data + " (seed " + training.seed() + ")";
        }
        List<String> classes = train.distinctLabels();
        if (classes.size() < 2) {
            throw LdmException.badInput(data + ": only " + classes.size() + " distinct label(s) with --label "
                    + rule.word() + "; a classifier needs at least 2");
        }
        ClassifierConfig config = new ClassifierConfig(size, widths, classes.size());
        Path checkpoints = out.resolve(CHECKPOINT_DIR);
        try {
            Files.createDirectories(checkpoints);
            if (!resume) {
                Files.deleteIfExists(checkpoints.resolve(Checkpoint.FILE));
            }
        } catch (IOException e) {
            throw LdmException.failure("cannot write " + checkpoints, e);
        }
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Classifier net = new ClassifierTrainer(training).train(m, config, train.images(), train.indices(classes),
                    listener, checkpoints, checkpointEvery, classes);
            Accuracy ceiling = accuracy(net, held, classes);
            Accuracy trainAcc = accuracy(net, train, classes);
            ClassifierInfo info = new ClassifierInfo(ClassifierInfo.FORMAT, config, rule.word(), classes, training,
                    data.toString(), train.size(), heldoutSource, ceiling.figures(), trainAcc.figures(),
                    (System.nanoTime() - t0) / 1e9);
            TrainedClassifier.save(out, net, info);
            return info;
        }
    }

    /** Top-1/top-5 of a classifier on labelled images; labels it does not know are counted as unknown. */
    static Accuracy accuracy(Classifier net, LabeledImages images, List<String> classes) {
        if (images.size() == 0) {
            return Accuracy.NONE;
        }
        return TopK.score(net.score(images.images(), TrainedClassifier.BATCH).logits(), images.indices(classes));
    }
}
