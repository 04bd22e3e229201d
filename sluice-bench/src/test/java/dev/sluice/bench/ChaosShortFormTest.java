package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chaos run's short form, in CI: all four pipelines at once in one worker JVM (one stack, one JVM start per
 * life: the four pipelines one after another would take four times as long on two cores), 3 SIGKILLs, 1 SIGTERM,
 * Postgres and the S3 store taken away for 20 s each (so every pipeline loses one of its services once), then
 * every sink checked against what the generators sent. The full form is {@code sluice-bench chaos}
 * (docs/reliability.md).
 */
class ChaosShortFormTest {

    @Test
    void everyPipelineLosesAndDoublesNothingThroughKillsStopsAndOutages() throws Exception {
        ChaosBenchmark.Settings settings = new ChaosBenchmark.Settings("all", 11, Duration.ofSeconds(140), 3, 1,
                Duration.ofSeconds(20), Duration.ofSeconds(15), "postgres,s3", false, 50, "256m", "none");

        ChaosRun.Result result = ChaosBenchmark.run(settings);
        System.out.println(ChaosBenchmark.report(settings, result));

        assertThat(result.kills()).isEqualTo(3);
        assertThat(result.terms()).isEqualTo(1);
        assertThat(result.outages()).extracting(ChaosRun.Outage::service)
                .containsExactlyInAnyOrder(ChaosStack.Service.POSTGRES, ChaosStack.Service.S3);
        assertThat(result.verdicts()).containsOnlyKeys(ChaosBenchmark.PIPELINES);
        result.verdicts().forEach((pipeline, verdict) -> {
            assertThat(verdict.sent()).as(pipeline + " sent").isPositive();
            assertThat(verdict.malformed()).as(pipeline + " malformed inputs sent").isPositive();
            assertThat(List.of(verdict.lost(), verdict.doubled(), verdict.wrong()))
                    .as(pipeline + " lost, doubled, handled wrongly; notes: " + verdict.notes())
                    .containsOnly(0L);
            assertThat(verdict.rejects()).as(pipeline + " rejects with a reason").isEqualTo(verdict.malformed());
        });
    }
}
