package dev.eligibility.jobs.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.decision.ReferenceEvaluator.Decision;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.testing.Judge;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.WorldGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random worlds (thousands of rows, values chosen to collide and to sit on every boundary)
 * decided by the Spark engine and by {@link ReferenceEvaluator}; the outcomes must agree row for
 * row, primary reason and every applying reason.
 */
class RandomizedEquivalenceTest {

  static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void sparkEngineAgreesWithTheReferenceEvaluatorRowForRow(long seed) {
    WorldGenerator generator = new WorldGenerator(new Random(seed), AS_OF);
    World world = generator.world();
    RunContext run = seed % 3 == 0
        ? Judge.fineTune(generator.pick(WorldGenerator.ORGS_PRESENT), AS_OF)
        : Judge.baseModel(AS_OF);

    Dataset<Row> actual = Judge.decisions(world, run);
    List<Decision> reference = new ReferenceEvaluator(world, run).decideAll();
    List<Row> expectedRows = reference.stream()
        .map(d -> RowFactory.create(d.rowNo(), d.recordId(), d.input(), d.reason(),
            d.reasons().toArray(new String[0])))
        .toList();
    Dataset<Row> expected = TestSpark.session().createDataFrame(expectedRows, actual.schema());

    assertThat(world.corpus()).hasSizeGreaterThanOrEqualTo(1500);
    TestSpark.assertSameRows(expected, actual);
    // The world must exercise most reasons, or agreement would prove little.
    Map<String, Long> byReason = reference.stream()
        .collect(Collectors.groupingBy(Decision::reason, TreeMap::new, Collectors.counting()));
    assertThat(byReason.keySet()).as("reasons seen with seed " + seed).hasSizeGreaterThanOrEqualTo(6);
  }
}
