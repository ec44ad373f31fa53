package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.image.PngMetadata;
import dev.ldm.io.Json;
import dev.ldm.pipeline.ModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ldm info FILE|MODEL_DIR}: what a PNG or a model folder says about itself. */
@Command(name = "info", description = "Show the settings in a PNG or the manifest of a model folder.",
        mixinStandardHelpOptions = true)
public final class InfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|MODEL_DIR")
    Path target;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (Files.isDirectory(target)) {
            ModelFolder f = ModelFolder.open(target);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dir", target.toString());
            info.put("hash", f.hash());
            info.put("manifest", f.manifest());
            out.println(Json.pretty(info));
        } else if (Files.isRegularFile(target)) {
            Map<String, String> chunks = PngMetadata.read(target);
            if (chunks.isEmpty()) {
                out.println(target + ": no text metadata");
            }
            chunks.forEach((k, v) -> out.println(k + ":\n  " + v.replace("\n", "\n  ")));
        } else {
            throw LdmException.badInput(target + ": no such file or folder");
        }
        return 0;
    }
}
