package dev.ldm.data;

import dev.ldm.LdmException;
import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A training-data folder: images anywhere below it, each captioned by a text file of the same name
 * ({@code fox.png} + {@code fox.txt}) or, without one, by its file name ({@code red_fox.png} gives
 * "red fox"). The layout most LoRA and diffusion trainers accept, so existing data sets work as-is.
 * A caption file with several non-blank lines gives the image several alternative captions (as
 * COCO's five per image); the first is its main caption and training draws one per step.
 */
public final class ImageFolder {
    /** Image extensions scanned, compared case-insensitively. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp", "bmp", "gif");
    public static final String DEFAULT_CAPTION_EXTENSION = "txt";
    /** Longest caption file read (captions are a sentence or two). */
    static final long MAX_CAPTION_BYTES = 64 << 10;
    /** Most repeats a {@code N_name} folder may ask for. */
    public static final int MAX_REPEATS = 10_000;
    /** {@code N_name}: N repeats of the images below, captioned "name" where they have no caption file. */
    private static final java.util.regex.Pattern REPEAT_FOLDER = java.util.regex.Pattern.compile("^(\\d+)_(.*\\S.*)$");

    /**
     * A sample and how many times it appears per epoch.
     *
     * @param sample the image and its caption
     * @param repeats at least 1
     */
    public record Repeated(Sample sample, int repeats) {}

    private ImageFolder() {}

    /** Samples below {@code dir} with captions from {@code .txt} files. */
    public static List<Sample> scan(Path dir) {
        return scan(dir, DEFAULT_CAPTION_EXTENSION);
    }

    /**
     * Samples below {@code dir}, sorted by relative path so that every machine sees the same order.
     * Hidden files and folders (names starting with a dot, such as macOS {@code ._x.png}) are skipped.
     */
    public static List<Sample> scan(Path dir, String captionExtension) {
        String ext = captionExtension.startsWith(".") ? captionExtension.substring(1) : captionExtension;
        if (ext.isBlank() || ext.contains("/")) {
            throw LdmException.badInput("caption extension '" + captionExtension + "' is not a file extension");
        }
        if (!Files.exists(dir)) {
            throw LdmException.badInput(dir + ": folder not found");
        }
        if (!Files.isDirectory(dir)) {
            throw LdmException.badInput(dir + ": not a folder");
        }
        List<Path> images;
        try (Stream<Path> files = Files.walk(dir)) {
            images = files.filter(p -> Files.isRegularFile(p) && isImage(p) && !hidden(dir, p))
                    .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw LdmException.badInput(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        if (images.isEmpty()) {
            throw LdmException.badInput(dir + ": no images (png, jpg, jpeg, webp, bmp or gif) in this folder");
        }
        List<Sample> out = new ArrayList<>(images.size());
        for (Path p : images) {
            out.add(new Sample(p, captions(p, ext)));
        }
        return out;
    }

    /**
     * Samples with the fine-tuning tools' folder conventions (kohya sd-scripts, OneTrainer): an image
     * below a folder named {@code N_name} (the nearest such folder under {@code dir}) repeats N times
     * per epoch, and without a caption file it is captioned {@code name}; other images repeat once and
     * are captioned as by {@link #scan(Path, String)}.
     */
    public static List<Repeated> scanRepeated(Path dir, String captionExtension) {
        String ext = captionExtension.startsWith(".") ? captionExtension.substring(1) : captionExtension;
        List<Repeated> out = new ArrayList<>();
        for (Sample s : scan(dir, captionExtension)) {
            Path folder = repeatFolder(dir, s.image());
            if (folder == null) {
                out.add(new Repeated(s, 1));
                continue;
            }
            java.util.regex.Matcher m = REPEAT_FOLDER.matcher(folder.getFileName().toString());
            if (!m.matches()) {
                throw new IllegalStateException("not a repeat folder: " + folder);
            }
            int repeats = repeatCount(folder, m.group(1));
            String stem = s.image().getFileName().toString().replaceFirst("\\.[^.]*$", "");
            boolean captioned = Files.isRegularFile(s.image().resolveSibling(stem + "." + ext));
            out.add(new Repeated(captioned ? s : new Sample(s.image(), m.group(2).trim()), repeats));
        }
        return out;
    }

    /** "TRIGGER, caption" (the trigger alone for an empty caption); a blank trigger changes nothing. */
    public static String withTrigger(String trigger, String caption) {
        if (trigger == null || trigger.isBlank()) {
            return caption;
        }
        String t = trigger.strip();
        return caption.isBlank() ? t : t + ", " + caption;
    }

    /** The nearest folder between {@code root} (excluded) and the image named {@code N_name}, or null. */
    private static Path repeatFolder(Path root, Path image) {
        for (Path p = image.getParent(); p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
            if (REPEAT_FOLDER.matcher(p.getFileName().toString()).matches()) {
                return p;
            }
        }
        return null;
    }

    private static int repeatCount(Path folder, String digits) {
        int n;
        try {
            n = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_REPEATS) {
            throw LdmException.badInput(folder + ": a repeat folder's count must be between 1 and " + MAX_REPEATS
                    + " (rename it, or drop the N_ prefix)");
        }
        return n;
    }

    /**
     * Decodes samples to [3, size, size] tensors in [-1, 1]. An unreadable image is skipped with one
     * warning naming it, so one bad file does not stop a long encoding run; the count is returned.
     */
    public static LoadedImages load(List<Sample> samples, int size, Consumer<String> warn) {
        List<Sample> ok = new ArrayList<>(samples.size());
        List<Tensor> images = new ArrayList<>(samples.size());
        int skipped = 0;
        for (Sample s : samples) {
            try {
                images.add(Images.toTensor(Images.read(s.image()), size));
                ok.add(s);
            } catch (LdmException e) {
                skipped++;
                warn.accept("skipping " + e.getMessage());
            }
        }
        return new LoadedImages(ok, images, skipped);
    }

    /**
     * The caption file's non-blank lines, trimmed (one empty caption for an empty file), else the
     * file-name stem with {@code _} and {@code -} as spaces.
     */
    static List<String> captions(Path image, String captionExtension) {
        String name = image.getFileName().toString();
        String stem = name.substring(0, name.lastIndexOf('.'));
        Path captionFile = image.resolveSibling(stem + "." + captionExtension);
        if (Files.isRegularFile(captionFile)) {
            List<String> lines = readCaption(captionFile).lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? List.of("") : lines;
        }
        return List.of(stem.replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ").trim());
    }

    private static String readCaption(Path file) {
        try {
            if (Files.size(file) > MAX_CAPTION_BYTES) {
                throw LdmException.badInput(file + ": caption file larger than " + MAX_CAPTION_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1).trim() : text.trim();
        } catch (CharacterCodingException e) {
            throw LdmException.badInput(file + ": caption file is not UTF-8", e);
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read caption (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
