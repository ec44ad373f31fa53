package dev.ldm.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.data.ShapesDataset;
import dev.ldm.io.Tensor;
import dev.ldm.metrics.Accuracy;
import dev.ldm.optim.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTrainerTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void drawShapes() {
        ShapesDataset.generate(tmp.resolve("shapes"), 10, 16, 0);
    }

    /** Two shapes in two similar colours: both the shape and the shade of the colour separate the classes. */
    private static LabeledImages fourClasses(int size) {
        LabeledImages all = LabeledImages.load(tmp.resolve("shapes"), size, LabelRule.CAPTION, w -> {});
        Set<String> keep = Set.of("a red circle", "a red square", "a orange circle", "a orange square");
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (keep.contains(all.labels().get(i))) {
                picks.add(i);
            }
        }
        return all.subset(picks.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void learnsShapesAndColoursAndSavesAndLoadsExactly() {
        LabeledImages data = fourClasses(16);
        assertEquals(40, data.size());
        List<String> classes = data.distinctLabels();
        ClassifierConfig config = new ClassifierConfig(16, List.of(8, 16), classes.size());
        ClassifierTrainConfig training = new ClassifierTrainConfig(200, 16, 3e-3, 20, 0.0, 1, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            double[] firstLoss = {Double.NaN};
            double[] lastLoss = {Double.NaN};
            Classifier net = new ClassifierTrainer(training).train(m, config, data.images(), data.indices(classes),
                    (step, total, loss, rate) -> {
                        if (step == 1) {
                            firstLoss[0] = loss;
                        }
                        lastLoss[0] = loss;
                    });
            assertEquals(Math.log(4), firstLoss[0], 0.3, "starts near chance: ln 4");
            Accuracy acc = ClassifierJob.accuracy(net, data, classes);
            assertTrue(lastLoss[0] < 0.5, "loss " + lastLoss[0]);
            assertTrue(acc.top1() > 0.9, "train top-1 " + acc.top1());

            ClassifierInfo info = new ClassifierInfo(ClassifierInfo.FORMAT, config, "caption", classes, training,
                    "test", data.size(), "none", acc.figures(), acc.figures(), 0);
            TrainedClassifier.save(tmp.resolve("clf"), net, info);
            List<Tensor> two = data.images().subList(0, 2);
            try (TrainedClassifier loaded = TrainedClassifier.open(tmp.resolve("clf"))) {
                assertEquals(classes, loaded.classes());
                assertEquals(classes.indexOf("a red square"), loaded.classOf("A red  square"));
                assertEquals(-1, loaded.classOf("a blue star"));
                Classifier.Scores a = net.score(two, 2);
                Classifier.Scores b = loaded.score(two);
                assertArrayEquals(a.logits()[1], b.logits()[1]);
                assertArrayEquals(a.features()[0], b.features()[0]);
                assertEquals(16, b.features()[0].length);
            }
        }
    }

    @Test
    void stratifiedSplitHoldsOutEveryClassAndShiftReplicatesEdges() {
        LabeledImages data = fourClasses(8);
        LabeledImages[] parts = data.split(0.2, 3);
        assertEquals(32, parts[0].size());
        assertEquals(8, parts[1].size());
        assertEquals(data.distinctLabels(), parts[1].distinctLabels());
        assertEquals(parts[1].files(), data.split(0.2, 3)[1].files(), "seeded");

        Tensor t = new Tensor(new long[] {1, 2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new float[] {1, 1, 2, 4, 4, 5}, ClassifierTrainer.shifted(t, 1, 0).data());
        assertArrayEquals(new float[] {4, 5, 6, 4, 5, 6}, ClassifierTrainer.shifted(t, 0, -1).data());
    }

    /**
     * A run interrupted after its checkpoint at step 5 and resumed gives the bits of an uninterrupted run
     * (batch 12 on 40 images: the resume starts mid-epoch), and a resume with another batch is refused.
     */
    @Test
    void resumedRunEqualsUninterruptedRun() {
        LabeledImages data = fourClasses(8);
        List<String> classes = data.distinctLabels();
        ClassifierConfig config = new ClassifierConfig(8, List.of(4, 8), classes.size());
        ClassifierTrainConfig training = new ClassifierTrainConfig(15, 12, 3e-3, 3, 0.0, 1, 7);
        Map<String, Tensor> whole;
        try (NDManager m = NDManager.newBaseManager()) {
            whole = new ClassifierTrainer(training).train(m, config, data.images(), data.indices(classes),
                    ClassifierTrainer.Listener.NONE).stateDict();
        }
        Path dir = tmp.resolve("resume-ck");
        try (NDManager m = NDManager.newBaseManager()) {
            ClassifierTrainer.Listener killAt8 = (step, total, loss, rate) -> {
                if (step == 8) {
                    throw new IllegalStateException("killed");
                }
            };
            assertThrows(IllegalStateException.class, () -> new ClassifierTrainer(training).train(m, config,
                    data.images(), data.indices(classes), killAt8, dir, 5, classes));
        }
        assertEquals(5, Checkpoint.load(dir).step());
        int[] firstStep = {0};
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Tensor> resumed = new ClassifierTrainer(training).train(m, config, data.images(),
                    data.indices(classes), (step, total, loss, rate) -> {
                        if (firstStep[0] == 0) {
                            firstStep[0] = step;
                        }
                    }, dir, 5, classes).stateDict();
            assertEquals(6, firstStep[0]);
            assertEquals(whole.keySet(), resumed.keySet());
            whole.forEach((k, v) -> assertArrayEquals(v.data(), resumed.get(k).data(), k));
        }
        ClassifierTrainConfig otherBatch = new ClassifierTrainConfig(15, 8, 3e-3, 3, 0.0, 1, 7);
        try (NDManager m = NDManager.newBaseManager()) {
            LdmException e = assertThrows(LdmException.class, () -> new ClassifierTrainer(otherBatch).train(m, config,
                    data.images(), data.indices(classes), ClassifierTrainer.Listener.NONE, dir, 5, classes));
            assertTrue(e.getMessage().contains("--batch"), e.getMessage());
            List<String> renamed = new ArrayList<>(classes);
            renamed.set(0, "a green circle");
            e = assertThrows(LdmException.class, () -> new ClassifierTrainer(training).train(m, config,
                    data.images(), data.indices(classes), ClassifierTrainer.Listener.NONE, dir, 5, renamed));
            assertTrue(e.getMessage().contains("other classes"), e.getMessage());
        }
    }

    @Test
    void hueTurnKeepsGreysAndShadingAndTurnsRedToGreen() {
        // [3, 4, 4]: every row holds pure red, a darker red, mid grey and white (RGB in [-1, 1])
        float[][] columns = {{1, 0.2f, 0.00392157f, 1}, {-1, -1, 0.00392157f, 1}, {-1, -1, 0.00392157f, 1}};
        float[] data = new float[48];
        for (int i = 0; i < data.length; i++) {
            data[i] = columns[i / 16][i % 4];
        }
        Tensor square = new Tensor(new long[] {3, 4, 4}, data);
        float[] o = ClassifierTrainer.hueTurned(square, 120).data();
        assertEquals(-1f, o[0], 1e-6f, "red channel of red turned by 120 degrees");
        assertEquals(1f, o[16], 1e-6f, "green channel");
        assertEquals(-1f, o[32], 1e-6f, "blue channel");
        assertEquals(data[2], o[2], 1e-6f, "grey stays");
        assertEquals(1f, o[3], 1e-6f, "white stays");
        assertEquals(0.2f, o[16 + 1], 1.5f / 255, "the darker red's brightness is kept");
        assertArrayEquals(data, ClassifierTrainer.hueTurned(square, 360).data(), 1e-6f, "a full turn");
    }

    /** The weights after a short run on the four tiny classes at 8 px. */
    private static Map<String, Tensor> weightsAfter(ClassifierTrainConfig training) {
        LabeledImages data = fourClasses(8);
        List<String> classes = data.distinctLabels();
        try (NDManager m = NDManager.newBaseManager()) {
            return new ClassifierTrainer(training).train(m, new ClassifierConfig(8, List.of(4, 8), classes.size()),
                    data.images(), data.indices(classes), ClassifierTrainer.Listener.NONE).stateDict();
        }
    }

    /** Hue augmentation changes what the judge learns, is a function of the seed, and a resume must keep it. */
    @Test
    void hueAugmentationIsSeededAndPartOfTheRun() {
        ClassifierTrainConfig hue = new ClassifierTrainConfig(6, 12, 3e-3, 2, 0.0, 1, 7, 0.5);
        Map<String, Tensor> a = weightsAfter(hue);
        Map<String, Tensor> b = weightsAfter(hue);
        Map<String, Tensor> none = weightsAfter(new ClassifierTrainConfig(6, 12, 3e-3, 2, 0.0, 1, 7));
        Map<String, Tensor> zero = weightsAfter(new ClassifierTrainConfig(6, 12, 3e-3, 2, 0.0, 1, 7, 0.0));
        a.forEach((k, v) -> assertArrayEquals(v.data(), b.get(k).data(), k));
        none.forEach((k, v) -> assertArrayEquals(v.data(), zero.get(k).data(), k));
        assertTrue(a.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(a.get(k).data(), none.get(k).data())),
                "turned hues change the weights");
        LabeledImages data = fourClasses(8);
        List<String> classes = data.distinctLabels();
        ClassifierConfig config = new ClassifierConfig(8, List.of(4, 8), classes.size());
        Path dir = tmp.resolve("hue-ck");
        try (NDManager m = NDManager.newBaseManager()) {
            new ClassifierTrainer(hue).train(m, config, data.images(), data.indices(classes),
                    ClassifierTrainer.Listener.NONE, dir, 3, classes);
            LdmException e = assertThrows(LdmException.class, () -> new ClassifierTrainer(
                    new ClassifierTrainConfig(8, 12, 3e-3, 2, 0.0, 1, 7, 0.25)).train(m, config, data.images(),
                    data.indices(classes), ClassifierTrainer.Listener.NONE, dir, 3, classes));
            assertTrue(e.getMessage().contains("--hue"), e.getMessage());
        }
        assertThrows(LdmException.class, () -> new ClassifierTrainConfig(6, 12, 3e-3, 2, 0.0, 1, 7, 1.5));
    }
}
