package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.image.Images;
import dev.ldm.image.PngWriter;
import dev.ldm.image.Restyle;
import dev.ldm.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm data restyle --from DIR --out DIR --style outline}: a folder of images redrawn in a
 * style ldm can draw itself ({@link Restyle}), captions copied, for measuring fine-tuning on a style
 * the model never saw.
 */
@Command(name = "restyle", description = "Redraw a captioned image folder in a style ldm draws itself (outline: "
        + "thick black outlines; posterise: 4 levels per channel; pixel: pixel art), keeping the captions.",
        mixinStandardHelpOptions = true)
public final class RestyleCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "Image folder (recursive).")
    Path from;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the restyled images "
            + "and their captions into, with the same relative paths (as PNG).")
    Path out;
    @Option(names = "--style", required = true, description = "outline, posterise or pixel.") String style;

    @Override
    public Integer call() {
        Restyle s = Restyle.parse(style);
        if (out.toAbsolutePath().normalize().startsWith(from.toAbsolutePath().normalize())) {
            throw LdmException.badInput("--out must not be inside --from");
        }
        List<Sample> samples = ImageFolder.scan(from);
        if (samples.isEmpty()) {
            throw LdmException.badInput(from + ": no images");
        }
        int written = 0;
        double trait = 0;
        for (Sample sample : samples) {
            Path rel = from.relativize(sample.image());
            String name = rel.getFileName().toString();
            String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
            Path target = out.resolve(rel).resolveSibling(stem + ".png");
            Path caption = sample.image().resolveSibling(stem + "." + ImageFolder.DEFAULT_CAPTION_EXTENSION);
            java.awt.image.BufferedImage img = s.apply(Images.read(sample.image()));
            trait += s.trait(img);
            try {
                Files.createDirectories(target.getParent());
                AtomicFiles.write(target, PngWriter.encode(img, Map.of()));
                if (Files.isRegularFile(caption)) {
                    AtomicFiles.write(target.resolveSibling(stem + "." + ImageFolder.DEFAULT_CAPTION_EXTENSION),
                            Files.readAllBytes(caption));
                }
            } catch (IOException e) {
                throw LdmException.failure("cannot write " + target + " (" + e.getMessage() + ")", e);
            }
            written++;
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "restyled %d images (%s) into %s; mean trait %.4f%n", written,
                s.word(), out, trait / written);
        return 0;
    }
}
