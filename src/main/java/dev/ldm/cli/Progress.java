package dev.ldm.cli;

import java.io.PrintStream;
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

    public static ProgressBar bar(String task, long total, String unit) {
        PrintStream err = System.err;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setUnit(" " + unit, 1).setConsumer(new ConsoleProgressBarConsumer(err));
        return b.build();
    }
}
