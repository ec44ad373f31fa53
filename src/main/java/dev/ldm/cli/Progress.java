package dev.ldm.cli;

import dev.ldm.jobs.JobEvents;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars (me.tongfei:progressbar) on stderr, shown only on an interactive terminal. */
public final class Progress {
    private Progress() {}

    /** True when stderr is a terminal and output is not JSON. */
    public static boolean interactive() {
        return System.console() != null && !"true".equals(System.getenv("CI"));
    }

    /**
     * Step events of a training job on stderr: a bar on an interactive terminal, otherwise a line
     * every 100 steps and at the last ({@code step N/M loss L lr R}). Close it when the job ends.
     */
    public static Steps steps(PrintWriter err, String task, long total, boolean bar) {
        return new Steps(err, bar ? bar(task, total, "step") : null);
    }

    /** The one printer of training progress (train, finetune, vae train, eval classifier train). */
    public static final class Steps implements JobEvents, AutoCloseable {
        private final PrintWriter err;
        private final ProgressBar bar;

        private Steps(PrintWriter err, ProgressBar bar) {
            this.err = err;
            this.bar = bar;
        }

        @Override
        public void warning(String message) {
            err.println("ldm: warning: " + message);
        }

        @Override
        public void step(long step, long total, double loss, double lr) {
            if (bar != null) {
                bar.stepTo(step);
                bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
            } else if (step % 100 == 0 || step == total) {
                err.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e%n", step, total, loss, lr);
            }
        }

        @Override
        public void step(long step, long total, double loss, double align, double lr) {
            if (bar != null) {
                bar.stepTo(step);
                bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f align %.4f", loss, align));
            } else if (step % 100 == 0 || step == total) {
                err.printf(Locale.ROOT, "step %d/%d loss %.4f align %.4f lr %.2e%n", step, total, loss, align, lr);
            }
        }

        @Override
        public void evaluated(long step, String measure, double value) {
            if (bar != null) {
                bar.setExtraMessage(String.format(Locale.ROOT, " %s %.4f", measure, value));
            }
            err.printf(Locale.ROOT, "step %d: %s %.4f%n", step, measure, value);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    public static ProgressBar bar(String task, long total, String unit) {
        PrintStream err = System.err;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setUnit(" " + unit, 1).setConsumer(new ConsoleProgressBarConsumer(err));
        return b.build();
    }
}
