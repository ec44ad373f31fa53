package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.batch.BatchJob;
import dev.ldm.batch.BatchManifest;
import dev.ldm.batch.BatchPlan;
import dev.ldm.batch.BatchRunner;
import dev.ldm.batch.PromptFile;
import dev.ldm.batch.PromptLine;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.Generator;
import dev.ldm.io.Json;
import dev.ldm.request.OutputWriter;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ldm batch PROMPT_FILE}: every prompt of a file, the model loaded once, resumable. The
 * options set defaults for lines that do not override them.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Render every prompt of a file: one per line (blank lines and # comments ignored) with "
            + "optional overrides such as 'a red fox --seed 3 --cfg 5 --n 4', or JSON Lines (.jsonl).",
            "Writes NNNNN-slug-seed.png and manifest.jsonl; a re-run renders only what is missing."})
public final class BatchCommand implements Callable<Integer> {
    /** Progress bar resolution: units per image, so partly sampled batches move the bar. */
    private static final int UNITS = 1000;

    @Mixin
    CommonOptions common;

    @Mixin
    DiTRuntimeOption ditRuntime;

    @Mixin
    GenerateCommand.Settings settings;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROMPT_FILE", description = "Prompts, one per line, or a .jsonl file.")
    Path promptFile;

    @Option(names = "--seed", defaultValue = "0", description = "Base seed: a line without --seed gets a seed "
            + "derived from it and the line's position among the prompts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "8", description = "Most images sampled together; a line's "
            + "--n images are split into batches of this size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--model", defaultValue = ModelFolder.DEFAULT, description = "Model folder (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--out", description = "Output folder (default: outputs/<prompt file name without extension>, "
            + "refused if it holds another prompt file's images). With --spark also a Hadoop file-system URI "
            + "(hdfs://..., s3a://...).")
    String out;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Render as an Apache Spark job on this master: "
            + "local[N] runs N tasks in this JVM (local[N,F] retries a failed task up to F-1 times); under "
            + "spark-submit, the cluster's master (README). Needs a build with Spark: LDM_SPARK=1 ./ldm ...")
    String spark;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "With --spark: tasks the "
            + "plan is split into (default: 4 per core of the cluster, at most one per sampling batch).")
    int partitions;

    @Option(names = "--lora", paramLabel = "FILE[:WEIGHT]", description = "Merge a LoRA into the model at load "
            + "time, as generate --lora; repeatable.")
    List<String> loras = new java.util.ArrayList<>();

    @Option(names = "--grid", description = "Also write a contact sheet of every image of the file, in order.")
    Path grid;

    @Option(names = "--grid-columns", defaultValue = "4", description = "Images per row of --grid "
            + "(default: ${DEFAULT-VALUE}).") int gridColumns;

    @Option(names = "--grid-scale", defaultValue = "1", description = "Enlarge the contact sheet by this factor.")
    int gridScale;

    @Option(names = "--json", description = "Print a summary as JSON.")
    boolean json;

    @Override
    public Integer call() {
        List<PromptLine> lines = PromptFile.read(promptFile);
        if (lines.isEmpty()) {
            throw LdmException.badInput(promptFile + ": no prompts (only blank or # comment lines)");
        }
        ModelFolder folder = ModelFolder.open(ModelFolder.locate(model));
        List<dev.ldm.lora.LoraRef> refs = loras.stream().map(dev.ldm.lora.LoraRef::parse).toList();
        List<BatchJob> jobs = BatchPlan.build(lines, settings.options(),
                folder.manifest().defaults().forFineTuned(!refs.isEmpty()), seed, batchSize);
        String onlyFrom = out != null ? null : lines.get(0).source().replaceAll(":[0-9]+$", "");
        if (spark != null) {
            return onSpark(folder, jobs, refs, onlyFrom);
        }
        if (partitions != 0) {
            throw LdmException.badInput("--partitions needs --spark");
        }
        Path dir = out != null ? localOut(out) : defaultOut(promptFile);
        BatchRunner.Result result;
        try (Generator gen = Generator.open(folder, common.device(), refs, ditRuntime.runtime())) {
            BatchRunner runner = new BatchRunner(gen, dir, dev.ldm.lora.LoraRef.modelName(folder.name(), refs),
                    dev.ldm.lora.LoraRef.modelHash(folder.modelHash(), refs));
            boolean bar = !json && Progress.interactive();
            ProgressBar[] pb = {null};
            try {
                result = runner.run(jobs, onlyFrom, (done, total, where) -> {
                    if (bar && pb[0] == null && total > 0) {
                        pb[0] = progressBar(total);
                    }
                    if (pb[0] != null) {
                        pb[0].stepTo(Math.round(done * UNITS));
                        pb[0].setExtraMessage(" " + where);
                    }
                });
            } finally {
                if (pb[0] != null) {
                    pb[0].close();
                }
            }
        }
        report(result.dir().toString(), result.dir().resolve(BatchManifest.FILE).toString(), result.images(),
                result.rendered(), result.skipped(), result.dropped(), Map.of());
        if (grid != null) {
            writeGrid(result.dir(), result.images());
        }
        return 0;
    }

    /** The one line ldm says when --spark is asked of a build or class path without Spark. */
    static final String NO_SPARK = "--spark needs Apache Spark, which this build leaves out: run it as "
            + "LDM_SPARK=1 ./ldm batch ... (builds with the Maven profile spark; downloads Spark once, about 290 MB), "
            + "or submit ldm's Spark jar with spark-submit (README: Batch rendering on Spark)";

    /** {@code --spark}: the plan checked here, rendered by a Spark job, its manifest written after it. */
    private int onSpark(ModelFolder folder, List<BatchJob> jobs, List<dev.ldm.lora.LoraRef> refs, String onlyFrom) {
        if (partitions < 0) {
            throw LdmException.badInput("--partitions must be at least 1, not " + partitions);
        }
        if (spark.isBlank()) {
            throw LdmException.badInput("--spark needs a master: local[N], spark://HOST:PORT, yarn, k8s://...");
        }
        dev.ldm.batch.ClusterBatch engine = dev.ldm.batch.ClusterBatch.spark()
                .orElseThrow(() -> LdmException.badInput(NO_SPARK));
        // what a local run finds when it loads the model, found here before any executor starts
        dev.ldm.model.DiTConfig dit = dev.ldm.model.DiTConfig.load(folder.ditDir());
        BatchPlan.checkSizes(jobs, r -> Generator.latentSide(folder.manifest().vae(), dit, r));
        String hash = folder.hash();
        String draftHash = folder.draftFolder() == null ? null : folder.draftFolder().hash();
        for (dev.ldm.lora.LoraRef ref : refs) {
            ref.read().requireBase(hash, draftHash, ref.file().toString());
        }
        String dir = out != null ? out : defaultOut(promptFile).toString();
        if (grid != null && dev.ldm.batch.BatchStore.isUri(dir)) {
            throw LdmException.badInput("--grid needs a local --out, not " + dir);
        }
        dev.ldm.batch.ClusterBatch.Result r = engine.run(new dev.ldm.batch.ClusterBatch.Settings(spark, partitions,
                jobs, folder.dir().toString(), List.copyOf(loras), ditRuntime.runtime(), common.device(),
                dev.ldm.lora.LoraRef.modelName(folder.name(), refs),
                dev.ldm.lora.LoraRef.modelHash(folder.modelHash(), refs),
                dir, onlyFrom));
        report(r.dir(), r.manifest(), r.images(), r.rendered(), r.skipped(), r.dropped(),
                Map.of("spark_master", spark, "partitions", r.partitions()));
        if (grid != null) {
            writeGrid(Path.of(r.dir()), r.images());
        }
        return 0;
    }

    private static Path localOut(String location) {
        if (dev.ldm.batch.BatchStore.isUri(location)) {
            throw LdmException.badInput("--out " + location + ": a file-system URI needs --spark");
        }
        try {
            return Path.of(location);
        } catch (java.nio.file.InvalidPathException e) {
            throw LdmException.badInput("--out: not a usable path '" + location + "'", e);
        }
    }

    /**
     * The contact sheet of this run's {@code count} images: the manifest's first lines, which a run
     * leaves in plan order before those of earlier batches in the folder (not every PNG there).
     */
    private void writeGrid(Path dir, int count) {
        if (gridColumns < 1 || gridScale < 1 || gridScale > 32) {
            throw dev.ldm.LdmException.badInput("--grid-columns must be >= 1 and --grid-scale in 1..32");
        }
        List<String> files;
        try {
            files = dev.ldm.batch.ManifestText.parse(java.nio.file.Files.readAllBytes(dir.resolve(BatchManifest.FILE)))
                    .files();
        } catch (java.io.IOException e) {
            throw dev.ldm.LdmException.failure("cannot read " + dir.resolve(BatchManifest.FILE), e);
        }
        List<java.awt.image.BufferedImage> images = new java.util.ArrayList<>();
        for (String f : files.subList(0, Math.min(count, files.size()))) {
            images.add(dev.ldm.image.Images.read(dir.resolve(f)));
        }
        if (images.isEmpty()) {
            throw dev.ldm.LdmException.badInput(dir + ": no images for --grid");
        }
        dev.ldm.image.PngWriter.write(grid, dev.ldm.image.ContactSheet.of(images, gridColumns, gridScale), Map.of());
    }

    /** outputs/&lt;stem&gt;, the stem made safe like a prompt slug. */
    static Path defaultOut(Path promptFile) {
        String name = promptFile.getFileName() == null ? "batch" : promptFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Path.of("outputs", OutputWriter.slug(dot > 0 ? name.substring(0, dot) : name));
    }

    private static ProgressBar progressBar(int images) {
        return new ProgressBarBuilder().setTaskName("batch").setInitialMax((long) images * UNITS)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .showSpeed(new DecimalFormat("0.00")).setUnit(" img", UNITS)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    private void report(String dir, String manifest, int images, int rendered, int skipped, int dropped,
            Map<String, Object> extra) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dir", dir);
            m.put("manifest", manifest);
            m.put("images", images);
            m.put("rendered", rendered);
            m.put("skipped", skipped);
            m.put("dropped_manifest_lines", dropped);
            m.putAll(new java.util.TreeMap<>(extra));
            spec.commandLine().getOut().println(Json.pretty(m));
        } else {
            spec.commandLine().getOut().println(rendered + " images rendered, " + skipped + " already there, "
                    + images + " in all: " + manifest);
        }
    }
}
