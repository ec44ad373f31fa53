package dev.ldm.spark;

import dev.ldm.batch.BatchManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The Parquet copy of a batch manifest, {@code manifest.parquet/} beside {@code manifest.jsonl}, for
 * Spark users ({@code spark.read.parquet(".../manifest.parquet")}): one row per line, the JSON's
 * fields as columns in the manifest's order, {@code request} and {@code batch} as structs. Read by
 * Spark from manifest.jsonl after the driver wrote it (so the driver never holds the lines twice);
 * manifest.jsonl stays the record a re-run reads.
 */
final class ManifestTable {
    static final String DIR = "manifest.parquet";
    private static final List<String> ORDER = List.of("file", "index", "source", "request", "batch", "model",
            "model_hash", "sha256");

    private ManifestTable() {}

    /** Writes (replaces) {@code folderUri/manifest.parquet} from {@code folderUri/manifest.jsonl}. */
    static void write(SparkSession spark, String folderUri) {
        String folder = folderUri.replaceAll("/+$", "");
        Dataset<Row> rows = spark.read().json(folder + "/" + BatchManifest.FILE);
        List<String> have = Arrays.asList(rows.columns());
        List<Column> columns = new ArrayList<>();
        ORDER.stream().filter(have::contains).forEach(c -> columns.add(functions.col(c)));
        have.stream().filter(c -> !ORDER.contains(c)).forEach(c -> columns.add(functions.col(c)));
        rows.select(columns.toArray(Column[]::new)).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(folder + "/" + DIR);
    }
}
