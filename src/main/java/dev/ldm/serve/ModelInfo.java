package dev.ldm.serve;

import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.DiTRuntime;
import dev.ldm.generate.SizeRange;

/**
 * The one model a server renders with, as clients see it.
 *
 * @param name the name written into PNGs ("Model")
 * @param hash the hash written into PNGs ("Model hash")
 * @param defaults the settings of a request that gives none
 * @param size the side in pixels of the square images a request gets when it names none
 * @param sizes the sides a request may name
 * @param runtime the engine that runs the DiT
 */
public record ModelInfo(String name, String hash, ModelManifest.Defaults defaults, int size, SizeRange sizes,
        DiTRuntime runtime) {
    /** "name [hash]", as AUTOMATIC1111 titles a checkpoint. */
    public String title() {
        return name + " [" + hash + "]";
    }
}
