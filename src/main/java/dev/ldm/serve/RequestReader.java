package dev.ldm.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.ldm.LdmException;
import dev.ldm.flow.Samplers;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.request.RequestField;
import dev.ldm.request.RequestOptions;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request body (a JSON object) to a validated {@link GenerateRequest}, in one of the dialects the
 * server speaks. Field names come from the one table of request fields ({@link RequestField}: ldm's
 * option names, AUTOMATIC1111's web API keys; OpenAI's images API uses ldm's names for prompt, n and
 * size); values are type-checked, not coerced, and every refusal is an {@link ApiError} naming the
 * field as the client spelled it. The server's limits are checked here; the rest of the validation
 * is {@link RequestOptions#resolve}'s, as for {@code ldm generate}.
 */
public final class RequestReader {
    /** The API a body was sent to. */
    public enum Dialect {
        /** ldm's job API and web page: ldm's option names; unknown fields are refused. */
        LDM,
        /**
         * AUTOMATIC1111 {@code txt2img}: its keys; unknown and null fields are ignored, seed -1 is random. Its
         * hires fix ({@code enable_hr} with {@code denoising_strength}) is a cascade's draft strength.
         */
        A1111_TXT2IMG,
        /** AUTOMATIC1111 {@code img2img}: as txt2img, plus init_images (required) and denoising_strength. */
        A1111_IMG2IMG,
        /** OpenAI {@code images/generations}: prompt, n, size "WxH"; other fields are the API's. */
        OPENAI;

        boolean a1111() {
            return this == A1111_TXT2IMG || this == A1111_IMG2IMG;
        }
    }

    /**
     * A read request.
     *
     * @param request the validated request
     * @param ignored keys the server has no use for (reported to A1111 clients in {@code info})
     * @param sampler how the sampler name was mapped, or null when none was given
     */
    public record Read(GenerateRequest request, List<String> ignored, Samplers.Choice sampler) {}

    private static final Pattern OPTION = Pattern.compile("--([a-z][a-z-]*)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,6})\\s*[xX×]\\s*(\\d{1,6})");

    private final ModelInfo model;
    private final ServeLimits limits;
    private final InitImages inits;
    private final SecureRandom random = new SecureRandom();

    public RequestReader(ModelInfo model, ServeLimits limits, InitImages inits) {
        this.model = model;
        this.limits = limits;
        this.inits = inits;
    }

    /**
     * Reads one request.
     *
     * @param skip keys the caller handles itself (OpenAI's {@code response_format}), neither read nor reported
     * @throws ApiError 400 naming the field for anything wrong
     */
    public Read read(JsonObject body, Dialect dialect, List<String> skip) {
        RequestOptions o = RequestOptions.NONE;
        Map<RequestField, String> keys = new EnumMap<>(RequestField.class);
        List<String> ignored = new ArrayList<>();
        Samplers.Choice sampler = null;
        Integer width = null;
        Integer height = null;
        long nIter = 1;
        boolean hiresFix = false;
        for (Map.Entry<String, JsonElement> e : body.entrySet()) {
            String key = e.getKey();
            JsonElement v = e.getValue();
            if (v.isJsonNull() || skip.contains(key)) {
                continue;
            }
            RequestField f = field(key, dialect);
            if (f == null) {
                if (dialect.a1111() && key.equals("n_iter")) {
                    nIter = whole(v, key, 1, limits.maxN());
                } else if (dialect == Dialect.A1111_TXT2IMG && key.equals(HIRES_FIX)
                        && model.defaults().draftStrength() != null) {
                    hiresFix = bool(v, key);
                    if (!hiresFix) {
                        ignored.add(key); // the model's own default strength applies
                    }
                } else if (dialect == Dialect.LDM) {
                    throw ApiError.badRequest(key, "unknown field '" + key + "' (known: prompt, "
                            + String.join(", ", RequestOptions.NAMES).replace("init-image", "init_image") + ")");
                } else {
                    ignored.add(key);
                }
                continue;
            }
            keys.put(f, key);
            switch (f) {
                case SIZE -> {
                    if (dialect == Dialect.OPENAI) {
                        int side = openAiSize(text(v, key), key);
                        width = side < 0 ? null : side; // "auto": the model's size
                        height = width;
                    } else if (key.equals("height")) {
                        height = (int) whole(v, key, 1, limits.maxImageSide());
                    } else {
                        width = (int) whole(v, key, 1, limits.maxImageSide());
                    }
                }
                case SAMPLER -> {
                    String name = text(v, key);
                    if (name.isBlank()) {
                        continue;
                    }
                    sampler = dialect == Dialect.LDM ? ldmSampler(name, key) : Samplers.nearest(name);
                    o = o.set(f, sampler.sampler());
                }
                case INIT_IMAGE -> o = o.set(f, initImage(v, key, dialect, ignored));
                case SEED -> {
                    long seed = whole(v, key, Long.MIN_VALUE, Long.MAX_VALUE);
                    o = o.set(f, dialect.a1111() && seed == -1 ? null : seed);
                }
                case STEPS -> o = o.set(f, (int) whole(v, key, 1, limits.maxSteps()));
                case N -> o = o.set(f, (int) whole(v, key, 1, limits.maxN()));
                case PROMPT, NEGATIVE -> o = o.set(f, prompt(v, key));
                default -> o = o.set(f, value(f, v, key));
            }
        }
        if (dialect == Dialect.A1111_TXT2IMG) {
            // txt2img's denoising_strength belongs to its hires fix: a first pass at a lower resolution,
            // upscaled and redrawn from that strength, which is what a cascade's draft strength says
            if (hiresFix && keys.containsKey(RequestField.STRENGTH)) {
                keys.put(RequestField.DRAFT_STRENGTH, keys.remove(RequestField.STRENGTH));
                o = o.set(RequestField.DRAFT_STRENGTH, o.strength()).set(RequestField.STRENGTH, null);
            }
            o = dropInto(o, RequestField.STRENGTH, keys, ignored);
            o = dropInto(o, RequestField.INIT_IMAGE, keys, ignored);
        }
        if (dialect == Dialect.A1111_IMG2IMG && o.initImage() == null) {
            throw ApiError.badRequest("init_images", "init_images: img2img needs an init image (base64)");
        }
        o = size(o, width, height, keys);
        if (nIter != 1) {
            long n = (o.n() == null ? 1 : o.n()) * nIter;
            if (n > limits.maxN()) {
                throw ApiError.badRequest("n_iter", "batch_size × n_iter is " + n + ", more than the limit of "
                        + limits.maxN() + " images per request");
            }
            o = o.set(RequestField.N, (int) n);
        }
        if (o.prompt() == null) {
            if (dialect.a1111()) {
                o = o.withPrompt(""); // AUTOMATIC1111's default
            } else {
                throw ApiError.badRequest("prompt", "the prompt is missing");
            }
        }
        return new Read(resolve(o, keys, dialect), List.copyOf(ignored), sampler);
    }

    /** AUTOMATIC1111's txt2img switch for its hires fix (read on a cascade; ignored, as unknown, otherwise). */
    static final String HIRES_FIX = "enable_hr";

    private static boolean bool(JsonElement v, String key) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()) {
            return v.getAsBoolean();
        }
        throw ApiError.badRequest(key, key + " must be true or false, not " + v);
    }

    private static RequestField field(String key, Dialect dialect) {
        return switch (dialect) {
            case LDM -> RequestField.byOption(key).filter(f -> f != RequestField.INIT_IMAGE)
                    .or(() -> java.util.Arrays.stream(RequestField.values())
                            .filter(f -> key.equals(f.jsonAlias())).findFirst())
                    .orElse(null);
            case A1111_TXT2IMG, A1111_IMG2IMG -> RequestField.byA1111Json(key).orElse(null);
            case OPENAI -> List.of("prompt", "n", "size").contains(key) ? RequestField.byOption(key).orElseThrow()
                    : null;
        };
    }

    /** What a dialect calls a field: ldm's JSON name (init_image), AUTOMATIC1111's first key, else the option. */
    private static String name(RequestField f, Dialect dialect) {
        if (dialect.a1111() && !f.a1111Json().isEmpty()) {
            return f.a1111Json().get(0);
        }
        return f.jsonAlias() != null ? f.jsonAlias() : f.option();
    }

    private static RequestOptions dropInto(RequestOptions o, RequestField f, Map<RequestField, String> keys,
            List<String> ignored) {
        if (keys.containsKey(f)) {
            ignored.add(keys.remove(f));
        }
        return o.set(f, null);
    }

    /** Width and height (AUTOMATIC1111) or the size: square, and a size this model draws. */
    private RequestOptions size(RequestOptions o, Integer width, Integer height, Map<RequestField, String> keys) {
        if (width == null && height == null) {
            return o;
        }
        String key = keys.get(RequestField.SIZE);
        if (width != null && height != null && !width.equals(height)) {
            throw ApiError.badRequest("height", "width " + width + " and height " + height
                    + " differ; ldm draws square images (" + model.size() + "x" + model.size() + " with this model)");
        }
        int side = width != null ? width : height;
        if (!model.sizes().contains(side)) {
            String field = key.equals("width") || key.equals("height") ? (width != null ? "width" : "height") : key;
            throw ApiError.badRequest(field, field + " " + side + ": this model draws " + model.sizes()
                    + "; leave it out for " + model.size() + "x" + model.size());
        }
        return o.set(RequestField.SIZE, side);
    }

    private static int openAiSize(String text, String key) {
        if (text.equalsIgnoreCase("auto")) {
            return -1;
        }
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw ApiError.badRequest(key, key + ": '" + clip(text) + "' is not WIDTHxHEIGHT (for example 32x32)");
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        if (w != h) {
            throw ApiError.badRequest(key, key + ": " + w + "x" + h + " is not square; ldm draws square images");
        }
        return w;
    }

    private Samplers.Choice ldmSampler(String name, String key) {
        try {
            Samplers.byName(name);
        } catch (LdmException e) {
            throw ApiError.badRequest(key, e.getMessage());
        }
        return new Samplers.Choice(name, name.strip().toLowerCase(Locale.ROOT), "ldm's own sampler");
    }

    private String initImage(JsonElement v, String key, Dialect dialect, List<String> ignored) {
        if (dialect.a1111()) {
            if (!v.isJsonArray()) {
                throw ApiError.badRequest(key, key + " must be a list of base64 images");
            }
            JsonArray a = v.getAsJsonArray();
            if (a.isEmpty()) {
                return null;
            }
            if (a.size() > 1) {
                ignored.add(key + "[1.." + (a.size() - 1) + "]"); // one init image per request
            }
            return dialect == Dialect.A1111_IMG2IMG ? inits.store(text(a.get(0), key + "[0]"), key + "[0]") : null;
        }
        return inits.store(text(v, key), key);
    }

    private String prompt(JsonElement v, String key) {
        String s = text(v, key);
        if (s.length() > limits.maxPromptLength()) {
            throw ApiError.badRequest(key, key + " is " + s.length() + " characters long; at most "
                    + limits.maxPromptLength() + " are accepted");
        }
        return s;
    }

    private static Object value(RequestField f, JsonElement v, String key) {
        return switch (f.kind()) {
            case TEXT -> text(v, key);
            case INTEGER -> (int) whole(v, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case WHOLE -> whole(v, key, Long.MIN_VALUE, Long.MAX_VALUE);
            case NUMBER -> number(v, key);
        };
    }

    static String text(JsonElement v, String key) {
        if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isString()) {
            throw ApiError.badRequest(key, key + " must be a string, not " + kind(v));
        }
        return v.getAsString();
    }

    /** A whole JSON number in [min, max] (20 and 20.0 both; 1e400 and 2.5 refused). */
    static long whole(JsonElement v, String key, long min, long max) {
        BigDecimal d = decimal(v, key);
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiError.badRequest(key, key + " must be between " + min + " and " + max + ", not " + clip(v.toString()));
        }
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            throw ApiError.badRequest(key, key + " must be a whole number, not " + clip(v.toString()));
        }
        return d.longValueExact();
    }

    /** A finite JSON number of reasonable size (|x| ≤ 1e9). */
    static double number(JsonElement v, String key) {
        BigDecimal d = decimal(v, key);
        if (d.abs().compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
            throw ApiError.badRequest(key, key + " is out of range: " + clip(v.toString()));
        }
        return d.doubleValue();
    }

    private static BigDecimal decimal(JsonElement v, String key) {
        if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isNumber()) {
            throw ApiError.badRequest(key, key + " must be a number, not " + kind(v));
        }
        try {
            return v.getAsBigDecimal();
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(key, key + " is not a usable number: " + clip(v.toString()));
        }
    }

    private static String kind(JsonElement v) {
        if (v.isJsonObject()) {
            return "an object";
        }
        if (v.isJsonArray()) {
            return "a list";
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        return p.isBoolean() ? "true/false" : p.isNumber() ? "a number" : "a string";
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /**
     * {@link RequestOptions#resolve}, as {@code ldm generate} does it; its errors name options
     * ({@code --cfg}), which are given back under the client's key.
     */
    private GenerateRequest resolve(RequestOptions o, Map<RequestField, String> keys, Dialect dialect) {
        try {
            return o.resolve(model.defaults(), random.nextLong() & 0xffffffffL);
        } catch (LdmException e) {
            Matcher m = OPTION.matcher(e.getMessage());
            String[] field = {null};
            String message = m.replaceAll(r -> {
                String key = RequestField.byOption(r.group(1)).map(f -> keys.getOrDefault(f, name(f, dialect)))
                        .orElse(r.group());
                if (field[0] == null) {
                    field[0] = key;
                }
                return Matcher.quoteReplacement(key);
            });
            if (field[0] == null && message.startsWith("prompt")) {
                field[0] = keys.getOrDefault(RequestField.PROMPT, "prompt");
            }
            throw ApiError.badRequest(field[0], message);
        }
    }
}
