package dev.ldm.data;

import dev.ldm.LdmException;
import dev.ldm.image.PngWriter;
import dev.ldm.io.AtomicFiles;
import dev.ldm.util.Rng;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ldm's own licence-free data set: coloured shapes drawn procedurally, captioned "a red circle".
 * Small enough to train on two CPU cores, with a right answer for every prompt, so the first shipped
 * model and the end-to-end tests can check that text actually steers the image. Every image has its
 * own named random stream, so the set is the same for a seed whatever the count or order.
 */
public final class ShapesDataset {
    /** The shapes, in caption order. */
    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "heart", "ring", "cross");
    /** The colours with their base RGB (each image varies the shade a little). */
    public static final Map<String, Color> COLOURS = colours();

    private ShapesDataset() {}

    private static Map<String, Color> colours() {
        Map<String, Color> m = new LinkedHashMap<>();
        m.put("red", new Color(220, 30, 35));
        m.put("green", new Color(35, 160, 60));
        m.put("blue", new Color(35, 80, 220));
        m.put("yellow", new Color(245, 200, 20));
        m.put("purple", new Color(140, 55, 185));
        m.put("orange", new Color(250, 130, 20));
        m.put("black", new Color(25, 25, 25));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Every caption, colours outer and shapes inner: "a red circle", "a red square", ... */
    public static List<String> prompts() {
        List<String> out = new ArrayList<>();
        for (String colour : COLOURS.keySet()) {
            for (String shape : SHAPES) {
                out.add(caption(colour, shape));
            }
        }
        return out;
    }

    static String caption(String colour, String shape) {
        return "a " + colour + " " + shape;
    }

    /**
     * Writes {@code imagesPerPair} PNG + caption pairs for every colour and shape to {@code outDir}
     * ({@code red_circle_0000.png}, {@code red_circle_0000.txt}, ...). The same arguments give the
     * same bytes.
     *
     * @return the written samples, in the order {@link ImageFolder#scan} lists them
     */
    public static List<Sample> generate(Path outDir, int imagesPerPair, int size, long seed) {
        if (imagesPerPair < 1 || imagesPerPair > 100_000) {
            throw LdmException.badInput("images per caption must be between 1 and 100000, not " + imagesPerPair);
        }
        if (size < 8 || size > 4096) {
            throw LdmException.badInput("shape image size must be between 8 and 4096 pixels, not " + size);
        }
        List<Sample> out = new ArrayList<>();
        for (String colour : COLOURS.keySet()) {
            for (String shape : SHAPES) {
                for (int i = 0; i < imagesPerPair; i++) {
                    String name = String.format("%s_%s_%04d", colour, shape, i);
                    Rng rng = Rng.stream(seed, "shapes/" + name);
                    Path png = outDir.resolve(name + ".png");
                    PngWriter.write(png, ShapePainter.draw(shape, COLOURS.get(colour), size, rng), Map.of());
                    AtomicFiles.writeString(outDir.resolve(name + ".txt"), caption(colour, shape) + "\n");
                    out.add(new Sample(png, caption(colour, shape)));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(s -> s.image().getFileName().toString()));
        return out;
    }
}
