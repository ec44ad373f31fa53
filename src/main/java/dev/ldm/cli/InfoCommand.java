package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.folder.ModelFolder;
import dev.ldm.image.PngMetadata;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiTWeights;
import dev.ldm.request.StoredSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ldm info FILE|MODEL_DIR}: what a PNG or a model folder says about itself. */
@Command(name = "info", description = "Show the settings in a PNG, or the manifest of a model folder and a check that its DiT"
                + " weights are all finite (exit 1 if not).",
        mixinStandardHelpOptions = true)
public final class InfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|MODEL_DIR")
    Path target;

    @Option(names = "--json", description = "Print a PNG's settings and text chunks as JSON.")
    boolean json;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (Files.isDirectory(target)) {
            ModelFolder f = ModelFolder.open(target);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dir", target.toString());
            info.put("hash", f.hash());
            info.put("model_hash", f.modelHash());
            info.put("manifest", f.manifest());
            info.put("sizes", dev.ldm.generate.SizeRange.of(f.manifest().vae(),
                    dev.ldm.model.DiTConfig.load(f.ditDir())).toString());
            Map<String, Object> weights = weightCheck(f.ditDir().resolve(DiTWeights.FILE));
            info.put("dit_weights", weights);
            boolean bad = weights.containsKey("problem");
            ModelFolder draft = f.draftFolder();
            if (draft != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("dir", draft.dir().toString());
                d.put("name", draft.name());
                d.put("hash", draft.hash());
                d.put("size", draft.manifest().defaults().size());
                Map<String, Object> draftWeights = weightCheck(draft.ditDir().resolve(DiTWeights.FILE));
                d.put("dit_weights", draftWeights);
                info.put("draft", d);
                bad |= draftWeights.containsKey("problem");
            }
            out.println(Json.pretty(info));
            return bad ? 1 : 0;
        } else if (Files.isRegularFile(target)) {
            png(out);
        } else {
            throw LdmException.badInput(target + ": no such file or folder");
        }
        return 0;
    }

    /** Tensor and parameter counts of a weights file, and whether every value is finite. */
    static Map<String, Object> weightCheck(Path file) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("file", file.toString());
        try {
            Map<String, Tensor> tensors = Safetensors.read(file); // refuses NaN and infinity
            w.put("tensors", tensors.size());
            w.put("parameters", tensors.values().stream().mapToLong(t -> t.data().length).sum());
            w.put("all_finite", true);
        } catch (LdmException e) {
            w.put("all_finite", false);
            w.put("problem", e.getMessage());
        }
        return w;
    }

    /** The parsed settings (or why there are none), then every text chunk as stored. */
    private void png(PrintWriter out) {
        Map<String, String> chunks = PngMetadata.read(target);
        Map<String, Object> settings = null;
        String problem = null;
        try {
            settings = chunks.isEmpty() ? null : StoredSettings.read(target).describe();
        } catch (LdmException e) {
            problem = e.getMessage();
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", target.toString());
            m.put("settings", settings);
            m.put("problem", problem);
            m.put("chunks", chunks);
            out.println(Json.pretty(m));
            return;
        }
        out.println(target);
        if (chunks.isEmpty()) {
            out.println("  no text metadata");
            return;
        }
        if (settings != null) {
            int width = settings.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
            settings.forEach((k, v) -> out.println("  " + pad(k + ":", width) + Main.printable(String.valueOf(v))));
            out.println("  re-render: ldm generate --from-png " + target);
        } else {
            out.println("  no usable settings: " + Main.printable(problem));
        }
        out.println();
        out.println("text chunks:");
        // chunk text comes from anyone: control characters are escaped, never sent to the terminal
        chunks.forEach((k, v) -> out.println("  " + Main.printable(k) + ":\n    "
                + Main.printable(v).replace("\n", "\n    ")));
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
