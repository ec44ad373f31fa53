package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.folder.ModelFolder;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import dev.ldm.model.WeightAverage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ldm average --out DIR MODEL...}: the uniform average of several DiTs of one architecture. */
@Command(name = "average", mixinStandardHelpOptions = true,
        description = "Average the DiT weights of several models of one architecture, tensor by tensor (a model"
                + " soup: runs continued from the same weights). Writes a DiT folder (config.json and"
                + " model.safetensors) to put in a copy of a model folder.")
public final class AverageCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "MODEL", description = "Model folders (their DiT) or DiT folders"
            + " (config.json and model.safetensors), at least two.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The DiT folder to write; must not"
            + " exist yet.")
    Path out;

    @Option(names = "--dtype", paramLabel = "f16|f32", description = "How the weights are stored (default: f16, as"
            + " ldm's trained models are).")
    String dtype = "f16";

    @Override
    public Integer call() {
        Safetensors.DType type = switch (dtype) {
            case "f16" -> Safetensors.DType.F16;
            case "f32" -> Safetensors.DType.F32;
            default -> throw LdmException.badInput("--dtype must be f16 or f32, not '" + dtype + "'");
        };
        if (Files.exists(out)) {
            throw LdmException.badInput(out + ": already exists; ldm average writes a new folder");
        }
        DiTConfig config = null;
        List<Map<String, Tensor>> weights = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path input : inputs) {
            Path dir = ditDir(input);
            DiTConfig c = DiTConfig.load(dir);
            if (config != null && !c.equals(config)) {
                throw LdmException.badInput(dir + ": its DiT config differs from " + names.get(0) + "'s (" + c
                        + " against " + config + ")");
            }
            config = c;
            weights.add(DiTWeights.read(dir, c));
            names.add(dir.toString());
        }
        Map<String, Tensor> mean = WeightAverage.mean(weights, names);
        Path tmp = null;
        try { // a folder of its own beside OUT, renamed into place when complete
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, out.getFileName() + ".tmp-");
            DiTWeights.save(config, mean, tmp, type);
            Files.move(tmp, out);
        } catch (java.io.IOException e) {
            throw LdmException.badInput(out + ": cannot write (" + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                dev.ldm.io.AtomicFiles.deleteTreeQuietly(tmp); // left only when the move did not happen
            }
        }
        spec.commandLine().getOut().println("averaged " + inputs.size() + " DiTs (" + mean.size() + " tensors) into "
                + out);
        return 0;
    }

    /** The DiT folder of {@code input}: the folder itself when it holds a DiT config, else its model's DiT. */
    private static Path ditDir(Path input) {
        if (Files.isRegularFile(input.resolve(DiTConfig.FILE)) && Files.isRegularFile(input.resolve(DiTWeights.FILE))) {
            return input;
        }
        return ModelFolder.open(input).ditDir();
    }
}
