package dev.ldm.spark;

import dev.ldm.LdmException;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * The Spark session of a run. A session already running in this JVM (a test's, an application's
 * that embeds ldm) is used and left running; otherwise one is started for the run and stopped after
 * it. {@code --spark submit} takes the master that spark-submit configured.
 */
final class SparkSessions {
    /** The master word that means "as spark-submit configured". */
    static final String SUBMIT = "submit";

    /** A session and whether this run started it (and so stops it). */
    record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    private SparkSessions() {}

    static Session open(String master) {
        Option<SparkSession> running = SparkSession.getDefaultSession();
        if (running.isDefined()) {
            String has = running.get().sparkContext().master();
            if (!master.equals(SUBMIT) && !master.equals(has)) {
                throw LdmException.badInput("--spark " + master + ": this JVM already runs Spark on " + has);
            }
            return new Session(running.get(), false);
        }
        SparkSession.Builder b = SparkSession.builder().appName("ldm batch");
        if (master.equals(SUBMIT)) {
            if (System.getProperty("spark.master") == null) {
                throw LdmException.badInput("--spark submit: not started by spark-submit (no spark.master); "
                        + "name a master such as local[2]");
            }
        } else {
            b.master(master);
        }
        // Spark reads spark.* system properties too (LDM_JAVA_OPTS=-Dspark.ui.enabled=true): those win.
        defaultConfig(b, "spark.ui.enabled", "false");
        if (master.startsWith("local")) { // executors in this JVM: nothing listens beyond this machine
            defaultConfig(b, "spark.driver.host", "127.0.0.1");
            defaultConfig(b, "spark.driver.bindAddress", "127.0.0.1");
        }
        try {
            return new Session(b.getOrCreate(), true);
        } catch (RuntimeException e) {
            throw LdmException.badInput("--spark " + master + ": cannot start Spark ("
                    + SparkErrors.firstLine(e) + ")", e);
        }
    }

    private static void defaultConfig(SparkSession.Builder b, String key, String value) {
        if (System.getProperty(key) == null) {
            b.config(key, value);
        }
    }
}
