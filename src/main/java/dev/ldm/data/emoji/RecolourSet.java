package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.image.DominantColour;
import dev.ldm.image.Images;
import dev.ldm.image.PngWriter;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Json;
import dev.ldm.util.Parallel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code ldm data recolour}: writes {@link Recolouring} copies of a captioned folder into another
 * folder with the same relative paths ({@code noto/1F98A.png} → {@code noto/1F98A-hue240.png} and its
 * caption file), so that {@code ldm train --data A --data B} trains on both. Also writes
 * {@value #HELD_OUT_PROMPTS}: prompts of held-out (concept, colour) pairs that neither the copies nor
 * the originals show, each naming its class and colour for {@code ldm eval}; {@value #SEEN_PROMPTS}:
 * the same number of pairs the copies do show, as the control; and {@value #SUMMARY}.
 *
 * @param from the captioned folder (its caption files' first line is read)
 * @param out the folder written
 * @param copies copies per image at most
 * @param heldOutShare share of (concept, colour) pairs held out
 * @param prompts most prompts in each prompt file
 * @param threads images processed at once (the output does not depend on it)
 */
public record RecolourSet(Path from, Path out, int copies, double heldOutShare, int prompts, int threads) {
    public static final String HELD_OUT_PROMPTS = "heldout-colour-prompts.jsonl";
    public static final String SEEN_PROMPTS = "seen-colour-prompts.jsonl";
    public static final String SUMMARY = "recolour.json";

    public RecolourSet {
        if (copies < 1 || copies > Recolouring.HUES.size()) {
            throw LdmException.badInput("--copies must be between 1 and " + Recolouring.HUES.size() + ", not " + copies);
        }
        if (!(heldOutShare >= 0 && heldOutShare < 1)) {
            throw LdmException.badInput("--held-out must be in [0, 1), not " + heldOutShare);
        }
        if (prompts < 1) {
            throw LdmException.badInput("--prompts must be positive, not " + prompts);
        }
    }

    /**
     * What a run wrote.
     *
     * @param images images read
     * @param written copies written
     * @param namedColour images whose label names a colour (no copies)
     * @param withoutCopy other images for which no angle gave a new, allowed colour
     * @param perColour copies per colour word
     * @param heldOutPrompts prompts in {@value #HELD_OUT_PROMPTS}
     * @param seenPrompts prompts in {@value #SEEN_PROMPTS}
     * @param heldOutShare the share of pairs held out
     */
    public record Summary(int images, int written, int namedColour, int withoutCopy, Map<String, Integer> perColour,
            int heldOutPrompts, int seenPrompts, double heldOutShare) {}

    /** One image's outcome: its label and style suffix, original colour and the colours of its copies. */
    private record Done(Recolouring.Caption caption, Optional<String> original, List<String> colours) {}

    /** A prompt line of the prompt files. */
    private record PromptLine(String prompt, String label, String colour) {}

    public Summary run() {
        Path fromAbs = from.toAbsolutePath().normalize();
        Path outAbs = out.toAbsolutePath().normalize();
        if (outAbs.startsWith(fromAbs) || fromAbs.startsWith(outAbs)) {
            throw LdmException.badInput("--out and --from must not contain each other");
        }
        List<Sample> samples = ImageFolder.scan(from);
        List<Done> done = Parallel.map(samples, this::recolour, threads);
        Map<String, Integer> perColour = new TreeMap<>();
        int named = 0;
        int without = 0;
        Map<String, String> shown = new TreeMap<>(); // "label/colour" -> suffix of one image showing it
        Map<String, String> drawn = new TreeMap<>(); // pairs the copies draw -> suffix
        Map<String, String> candidates = new TreeMap<>(); // held-out pairs of recoloured concepts -> suffix
        for (Done d : done) {
            String label = d.caption().label();
            if (DominantColour.named(label)) {
                named++;
                continue;
            }
            d.original().ifPresent(c -> shown.putIfAbsent(label + "/" + c, d.caption().suffix()));
            if (d.colours().isEmpty()) {
                without++;
                continue;
            }
            for (String c : d.colours()) {
                perColour.merge(c, 1, Integer::sum);
                drawn.putIfAbsent(label + "/" + c, d.caption().suffix());
            }
            for (String c : Recolouring.HUES) {
                if (Recolouring.heldOut(label, c, heldOutShare)) {
                    candidates.putIfAbsent(label + "/" + c, d.caption().suffix());
                }
            }
        }
        candidates.keySet().removeAll(shown.keySet());
        Map<String, String> seen = new TreeMap<>(drawn);
        seen.keySet().removeAll(shown.keySet()); // pairs only the copies show
        List<PromptLine> heldOut = promptLines(candidates);
        List<PromptLine> seenLines = promptLines(seen);
        List<PromptLine> control = seenLines.subList(0, Math.min(heldOut.size(), seenLines.size()));
        writePrompts(out.resolve(HELD_OUT_PROMPTS), heldOut, "held-out (concept, colour) pairs: shown by no image of "
                + from + " and by no recoloured copy");
        writePrompts(out.resolve(SEEN_PROMPTS), control, "(concept, colour) pairs that only the recoloured copies "
                + "show: the control for " + HELD_OUT_PROMPTS);
        int written = perColour.values().stream().mapToInt(Integer::intValue).sum();
        Summary s = new Summary(samples.size(), written, named, without, perColour, heldOut.size(), control.size(),
                heldOutShare);
        Json.write(out.resolve(SUMMARY), s);
        return s;
    }

    private Done recolour(Sample sample) {
        BufferedImage img = Images.read(sample.image());
        Recolouring.Caption caption = Recolouring.Caption.parse(sample.caption());
        String rel = from.relativize(sample.image()).toString().replace('\\', '/');
        Optional<String> original = DominantColour.named(caption.label()) ? Optional.empty()
                : dev.ldm.image.DominantColour.of(img); // measured once: the copies and the prompt files use it
        List<Recolouring.Copy> made = Recolouring.copies(img, original, sample.caption(), rel, copies, heldOutShare);
        String name = sample.image().getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        Path dir = out.resolve(from.relativize(sample.image())).getParent();
        List<String> colours = new ArrayList<>();
        for (Recolouring.Copy c : made) {
            String base = stem + "-hue" + c.angle();
            AtomicFiles.write(dir.resolve(base + ".png"), PngWriter.encode(c.image(), Map.of()));
            AtomicFiles.writeString(dir.resolve(base + "." + ImageFolder.DEFAULT_CAPTION_EXTENSION),
                    String.join("\n", c.captions()) + "\n");
            colours.add(c.colour());
        }
        return new Done(caption, original, colours);
    }

    /** At most {@link #prompts} pairs, in an order fixed by a hash of the pair. */
    private List<PromptLine> promptLines(Map<String, String> pairs) {
        List<String> keys = new ArrayList<>(pairs.keySet());
        keys.sort(Comparator.comparingDouble((String k) -> DataSplit.fraction("recolour-prompt/" + k))
                .thenComparing(Comparator.naturalOrder()));
        List<PromptLine> out = new ArrayList<>();
        for (String k : keys.subList(0, Math.min(prompts, keys.size()))) {
            int slash = k.lastIndexOf('/');
            String label = k.substring(0, slash);
            String colour = k.substring(slash + 1);
            String prompt = new Recolouring.Caption(label, pairs.get(k)).coloured(colour).get(0);
            out.add(new PromptLine(prompt, label, colour));
        }
        return out;
    }

    private static void writePrompts(Path file, List<PromptLine> lines, String what) {
        StringBuilder b = new StringBuilder("# ldm eval prompts (JSON Lines): " + what
                + "; each names its class and the colour its images should show\n");
        for (PromptLine l : lines) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("prompt", l.prompt());
            m.put("label", l.label());
            m.put("colour", l.colour());
            b.append(Json.compact(m)).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }
}
