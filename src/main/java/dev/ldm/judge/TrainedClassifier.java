package dev.ldm.judge;

import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A judge on disk and in memory. The folder holds {@value #WEIGHTS} (weights by module name) and
 * {@value #INFO} ({@link ClassifierInfo}: architecture, classes, label rule, training and ceiling);
 * the JSON is written last, so a folder with it is complete. Owns the NDManager of its weights.
 */
public final class TrainedClassifier implements AutoCloseable {
    public static final String INFO = "classifier.json";
    public static final String WEIGHTS = "model.safetensors";
    /** Images per forward pass when scoring. */
    public static final int BATCH = 64;

    private final NDManager manager;
    private final Classifier net;
    private final ClassifierInfo info;
    private final Path dir;

    private TrainedClassifier(NDManager manager, Classifier net, ClassifierInfo info, Path dir) {
        this.manager = manager;
        this.net = net;
        this.info = info;
        this.dir = dir;
    }

    /** Writes a trained classifier to {@code dir}: weights first, then the info file. */
    public static void save(Path dir, Classifier net, ClassifierInfo info) {
        Safetensors.write(dir.resolve(WEIGHTS), net.stateDict(), Map.of("format", ClassifierInfo.FORMAT),
                Safetensors.DType.F32);
        Json.write(dir.resolve(INFO), info);
    }

    /** Opens a classifier folder (or its {@value #INFO} file). */
    public static TrainedClassifier open(Path path) {
        Path dir = Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
        Path infoFile = dir.resolve(INFO);
        if (!Files.isRegularFile(infoFile)) {
            throw LdmException.badInput(path + ": not a classifier (no " + INFO + "); make one with "
                    + "'ldm eval classifier train'");
        }
        ClassifierInfo info = Json.read(infoFile, ClassifierInfo.class);
        info.validate(infoFile.toString());
        Map<String, Tensor> weights = Safetensors.read(dir.resolve(WEIGHTS));
        NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu());
        try {
            Classifier net = new Classifier(m, info.config(), 0);
            net.loadStateDict(weights, dir.resolve(WEIGHTS).toString());
            return new TrainedClassifier(m, net, info, dir);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public ClassifierInfo info() {
        return info;
    }

    public Path dir() {
        return dir;
    }

    public int size() {
        return info.config().size();
    }

    public List<String> classes() {
        return info.classes();
    }

    public LabelRule labelRule() {
        return info.labelRule();
    }

    /** The class index of a caption or prompt, or −1 when its label is not a class. */
    public int classOf(String caption) {
        return info.classes().indexOf(labelRule().label(caption));
    }

    /** Features and logits of [3, S, S] images at this classifier's size. */
    public Classifier.Scores score(List<Tensor> images) {
        return net.score(images, BATCH);
    }

    /**
     * Feature maps of [3, S, S] images at this classifier's size, as tokens [n, s·s, D]
     * ({@link Classifier#featureTokens}).
     */
    public Tensor featureTokens(List<Tensor> images) {
        return net.featureTokens(images, BATCH);
    }

    /**
     * The judge's identity: SHA-256 (hex) of its weights file and its architecture, so that anything
     * computed with it can be keyed by it (another judge, or this one retrained, has another).
     */
    public String identity() {
        return dev.ldm.io.Sha256.hex((dev.ldm.io.Sha256.file(dir.resolve(WEIGHTS)) + "|"
                + Json.compact(info.config())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        manager.close();
    }
}
