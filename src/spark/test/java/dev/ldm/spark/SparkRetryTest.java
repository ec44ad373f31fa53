package dev.ldm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails after writing an image is retried by Spark ({@code local[2,2]}: two task slots,
 * two attempts per task) and the run ends as an uninterrupted one: every image once, with the local
 * batch's bytes, the same manifest, no temporary file.
 */
class SparkRetryTest {
    @TempDir
    static Path tmp;
    static SparkTests t;
    static SparkSession spark;
    static final AtomicInteger FAILED_TASKS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        t = new SparkTests(tmp);
        spark = t.session("local[2,2]");
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) {
                    FAILED_TASKS.incrementAndGet();
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void aFailedTaskIsRetriedWithoutDuplicatesOrLeftovers() throws Exception {
        Path dir = tmp.resolve("retried");
        int thrown = Faults.THROWN.get();
        System.setProperty(Faults.FAIL_PARTITION, "1");
        SparkTests.Run r;
        try {
            r = t.batch(dir, "--spark", "local[2,2]", "--partitions", "3", "--json");
        } finally {
            System.clearProperty(Faults.FAIL_PARTITION);
        }
        assertEquals(0, r.code(), r.err());
        assertEquals(thrown + 1, Faults.THROWN.get(), "the fault was injected once");
        spark.sparkContext().listenerBus().waitUntilEmpty();
        assertEquals(1, FAILED_TASKS.get(), "one task attempt failed and was retried");
        // the retry found the image its first attempt wrote, and rendered the rest
        assertTrue(r.out().contains("\"rendered\": 6"), r.out());
        assertTrue(r.out().contains("\"skipped\": 1"), r.out());
        assertEquals(SparkTests.EXPECTED, SparkTests.pngNames(dir));
        for (String name : SparkTests.EXPECTED) {
            assertArrayEquals(Files.readAllBytes(t.reference.resolve(name)), Files.readAllBytes(dir.resolve(name)));
        }
        assertEquals(SparkTests.manifest(t.reference), SparkTests.manifest(dir));
        assertEquals(List.of(), SparkTests.leftovers(dir));
    }
}
