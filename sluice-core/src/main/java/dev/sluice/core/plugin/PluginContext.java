package dev.sluice.core.plugin;

import dev.sluice.core.config.ConfigPath;
import dev.sluice.core.pipeline.Fields;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * What a plugin's factory may use besides its own settings: the pipeline it is part of, the fields that reach it,
 * and the process's shared resources, sections, clock and metrics.
 */
public interface PluginContext {

    /** The pipeline's name: the metrics tag, the log field, the default of names derived from it. */
    String pipeline();

    /** Where this part is written in the configuration ({@code pipelines.orders.sink}). */
    ConfigPath path();

    /** The fields that reach this part (the sink: what the last processor emits). */
    Fields fields();

    Clock clock();

    MeterRegistry registry();

    /** The process environment, for secrets and keysets that come from it. */
    Map<String, String> environment();

    /** A top-level section, bound the first time any plugin asks. */
    <S> S section(ConfigSection<S> section);

    /** A resource shared by the whole process, opened at the first request. */
    <R> R shared(SharedResource<R> resource);

    /**
     * The service of {@code type} named {@code name}, offered by some module's {@link PluginProvider#services()}.
     *
     * @throws IllegalArgumentException when no module offers it, naming those that are offered; the message starts
     *                                  with {@code key}, the setting that chose it
     */
    <T> T service(Class<T> type, String name, String key);

    /** Checked by {@code GET /ready} while the pipeline runs, under {@code name} ("sqs:orders"). */
    void readiness(String name, ReadinessProbe probe);

    /** Closes {@code resource} when the pipeline is closed, after its runner stopped. */
    <R extends AutoCloseable> R closeAtEnd(R resource);
}
