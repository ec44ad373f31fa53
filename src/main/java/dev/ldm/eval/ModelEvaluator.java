package dev.ldm.eval;

import dev.ldm.LdmException;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.VaeParts;
import dev.ldm.generate.Generator;
import dev.ldm.io.Json;
import dev.ldm.io.Tensor;
import dev.ldm.judge.Classifier;
import dev.ldm.judge.LabeledImages;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.lora.LoraRef;
import dev.ldm.metrics.Accuracy;
import dev.ldm.metrics.TopK;
import dev.ldm.onnx.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code ldm eval}: judges a model folder with a trained classifier. Real reference images are
 * scored as they are (how well the judge knows them), after a VAE round trip (what the autoencoder
 * loses), and against generated images (FID with its real-vs-real floor); generated images are
 * scored against their prompts (prompt accuracy). The report goes to {@code MODEL/eval.json}.
 *
 * @param model the model folder
 * @param device where the model runs
 * @param judge the classifier
 * @param data folders of real reference images (held out from the model's and the judge's training), read as one set
 * @param promptFile evaluation prompts, one per line
 * @param settings how images are generated
 * @param loras LoRA adapters merged into the model's DiT for generation (none: the model as it is)
 * @param reportFile where the report is written
 * @param vaeRoundTrip whether to measure the VAE round trip of the reference images (it does not depend
 *     on the DiT; without it the report has no {@code vae} section)
 */
public record ModelEvaluator(ModelFolder model, Device device, TrainedClassifier judge, List<Path> data, Path promptFile,
        EvalSettings settings, List<LoraRef> loras, Path reportFile, boolean vaeRoundTrip) {
    public ModelEvaluator {
        data = List.copyOf(data);
        loras = List.copyOf(loras);
    }

    /** The report's default place: {@value #FILE} in the model folder, or beside the first LoRA. */
    public static Path defaultReportFile(ModelFolder model, List<LoraRef> loras) {
        return loras.isEmpty() ? model.dir().resolve(FILE)
                : loras.get(0).file().toAbsolutePath().resolveSibling(FILE);
    }

    /** The file written into the model folder. */
    public static final String FILE = "eval.json";

    /** Progress over prompts. */
    public interface Listener {
        Listener NONE = (done, total) -> {};

        void onPrompt(int done, int total);
    }

    /** Runs every measurement, writes {@value #FILE} into the model folder and returns the report. */
    public EvalReport run(Consumer<String> warn, Listener listener) {
        long t0 = System.nanoTime();
        List<EvalPrompt> prompts = PromptList.read(promptFile);
        LabeledImages real = LabeledImages.load(data, settings.size(), judge.labelRule(), warn); // model size
        int[] realLabels = real.indices(judge.classes());
        Classifier.Scores realScores = judge.score(atJudgeSize(real.images()));
        Accuracy realAcc = TopK.score(realScores.logits(), realLabels);
        PromptScorer.Result generated;
        try (Generator gen = Generator.open(model, device, loras)) {
            gen.latentSide(settings.request("", 0)); // the size and draft anchor, before any image
            generated = PromptScorer.run(gen, judge, prompts, settings, listener);
        }
        EvalReport.Fid fid = FidMeasure.measure(realScores.features(), generated.features(), settings.seed(),
                PromptRealImages.rows(prompts, settings.k(), real, judge.labelRule()));
        EvalReport.Vae vae = vaeRoundTrip
                ? vae(real, realLabels, realScores.features(), generated.features().length) : null;
        EvalReport report = new EvalReport(EvalReport.FORMAT, settingsRecord(), judge.info().ceiling(),
                realAcc.figures(), generated.prompts(), fid, vae, (System.nanoTime() - t0) / 1e9);
        Json.write(reportFile, report);
        return report;
    }

    /** The VAE round trip, its FID split as the model's FID is, or null when the model names no encoder. */
    private EvalReport.Vae vae(LabeledImages real, int[] labels, float[][] realFeatures, int generated) {
        VaeParts parts = VaeParts.find(model.dir());
        if (parts.spec().encoder() == null || parts.spec().encoder().isBlank()) {
            return null;
        }
        return VaeRoundTrip.run(parts, device, real.images(), labels, judge, realFeatures, generated, settings.seed());
    }

    private EvalReport.Settings settingsRecord() {
        return new EvalReport.Settings(model.dir().toString(), LoraRef.modelName(model.name(), loras),
                LoraRef.modelHash(model.modelHash(), loras), judge.dir().toString(),
                judge.classes().size(), judge.labelRule().word(), dataNames(), promptFile.toString(), settings);
    }

    /** The reference folders as the report names them: one path, or several joined by ", ". */
    private String dataNames() {
        return String.join(", ", data.stream().map(Path::toString).toList());
    }

    /** Images at the judge's input size (resampled through an 8-bit image when the sizes differ). */
    private List<Tensor> atJudgeSize(List<Tensor> images) {
        if (images.isEmpty()) {
            throw LdmException.badInput(dataNames() + ": no reference images");
        }
        return VaeRoundTrip.atSize(images, judge.size());
    }
}
