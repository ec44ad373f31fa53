package dev.ldm.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ldm.data.ShapesDataset;
import dev.ldm.io.Tensor;
import dev.ldm.metrics.Accuracy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
