package dev.ldm.spark;

import dev.ldm.LdmException;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.DiTRuntime;
import dev.ldm.generate.Generator;
import dev.ldm.lora.LoraRef;
import dev.ldm.onnx.Device;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Which model an executor opens: the folder as the driver named it, the LoRAs merged into it, the
 * DiT's runtime and the device, and the hash the driver computed, which the executor's copy must
 * have (every machine needs the same model folder at that path).
 *
 * @param modelDir the model folder
 * @param loras {@code FILE[:WEIGHT]} as given on the command line
 * @param runtime the DiT's engine
 * @param device where models run
 * @param modelHash the hash the PNGs record
 */
record ModelKey(String modelDir, List<String> loras, DiTRuntime runtime, Device device, String modelHash)
        implements java.io.Serializable {
    ModelKey {
        loras = List.copyOf(loras);
    }

    /** Loads the model, after checking that it is the driver's. */
    Generator open() {
        // an executor JVM did not start through ldm's command line: nothing downloads at run time there either
        System.setProperty("ai.djl.offline", "true");
        Path dir;
        try {
            dir = ModelFolder.locate(Path.of(modelDir));
        } catch (InvalidPathException e) {
            throw LdmException.badInput("--model: not a usable path '" + modelDir + "'", e);
        }
        ModelFolder folder = ModelFolder.open(dir);
        List<LoraRef> refs = loras.stream().map(LoraRef::parse).toList();
        String hash = LoraRef.modelHash(folder.modelHash(), refs);
        if (!hash.equals(modelHash)) {
            throw LdmException.badInput(dir + ": this executor's model has hash " + hash + " but the driver's has "
                    + modelHash + "; every executor needs the same model folder at that path");
        }
        return Generator.open(folder, device, refs, runtime);
    }
}
