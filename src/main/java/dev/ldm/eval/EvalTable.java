package dev.ldm.eval;

import dev.ldm.metrics.Accuracy;
import java.util.Locale;

/** The report of {@code ldm eval} as a plain-text table. */
public final class EvalTable {
    private EvalTable() {}

    public static String format(EvalReport r) {
        EvalReport.Settings s = r.settings();
        EvalSettings g = s.generation();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "model %s (%s, hash %s); judge %s (%d classes, label %s)%n",
                s.model(), s.modelName(), s.modelHash(), s.classifier(), s.classes(), s.label()));
        String draft = g.draftStrength() == null ? "" : ", draft strength " + num(g.draftStrength())
                + (g.draftAnchor() == null ? "" : " anchored in " + g.draftAnchor() + "x" + g.draftAnchor() + " blocks")
                + (g.draftColour() == null ? "" : ", colour " + g.draftColour());
        String tag = g.tagGuidance() == null ? "" : ", tag guidance " + num(g.tagGuidance());
        b.append(String.format(Locale.ROOT, "generation: %d prompts x k=%d, %d steps, cfg %s%s, %s, shift %s, %d px%s,"
                + " seed %d%n%n", r.prompts().prompts(), g.k(), g.steps(), num(g.cfg()),
                g.cfgInterval().always() ? "" : " for t in [" + g.cfgInterval() + "]", g.sampler(), num(g.shift()),
                g.size(), draft + tag, g.seed()));
        b.append(String.format(Locale.ROOT, "%-44s %7s %7s %7s%n", "judge accuracy", "top-1", "top-5", "images"));
        row(b, "ceiling: judge on its held-out real images", r.ceiling());
        row(b, "judge on the --data real images", r.real());
        if (r.vae() != null) {
            row(b, "judge on their VAE reconstructions", r.vae().accuracy());
        }
        row(b, "prompt accuracy of generated images", r.prompts().accuracy());
        if (r.prompts().groups() != null) {
            for (EvalReport.Group group : r.prompts().groups()) {
                row(b, "  group " + group.name() + " (" + group.prompts() + " prompts)", group.accuracy());
            }
        }
        if (r.prompts().colour() != null) {
            EvalReport.Colour c = r.prompts().colour();
            b.append(String.format(Locale.ROOT, "%-44s %7s %7s %7d%n", "images showing the prompt's colour",
                    pct(c.accuracy()), "", c.images()));
        }
        b.append('\n');
        if (r.fid() != null) {
            EvalReport.Fid f = r.fid();
            b.append(String.format(Locale.ROOT, "FID (judge features, d=%d): %.3f  (%d generated vs %d real)%n",
                    f.featureDim(), f.fid(), f.generated(), f.reference()));
            b.append(String.format(Locale.ROOT, "FID floor (real vs real):   %.3f  (%d real vs the same %d real)%n",
                    f.floor(), f.real(), f.reference()));
            if (f.promptImages() != null) {
                b.append(String.format(Locale.ROOT, "FID of the prompts' own real images: %.3f  (%d real, k per prompt,"
                        + " vs the same %d real)%n", f.promptImages(), f.promptImagesCount(), f.reference()));
            }
        } else {
            b.append("FID: not measured (needs at least 2 generated and 4 real images)\n");
        }
        if (r.vae() != null) {
            b.append(String.format(Locale.ROOT, "VAE reconstruction PSNR: %.2f dB on %d images%n", r.vae().psnr(),
                    r.vae().images()));
            if (r.vae().fid() != null) {
                b.append(String.format(Locale.ROOT, "FID of the VAE round trip: %.3f  (the floor's %d real after the"
                        + " round trip vs the same %d real)%n", r.vae().fid(), r.fid().real(), r.fid().reference()));
            }
        } else {
            b.append("VAE reconstruction: not measured (--no-vae-round-trip, or the model names no VAE encoder)\n");
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Accuracy.Figures a) {
        if (a == null) {
            return;
        }
        String extra = a.unknown() > 0 ? "  (+" + a.unknown() + " with unknown labels)" : "";
        b.append(String.format(Locale.ROOT, "%-44s %7s %7s %7d%s%n", name, pct(a.top1()), pct(a.top5()), a.scored(),
                extra));
    }

    /** A fraction as a percentage; "-" when nothing was scored. */
    public static String pct(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
