package dev.sluice.core.pipeline;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ConfigProblems;
import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.Source;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.job.Job;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.DecodesMessages;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.ErrorsPart;
import dev.sluice.core.plugin.Plugin.SinkPart;
import dev.sluice.core.plugin.Plugin.SourcePart;
import dev.sluice.core.plugin.OnlineOnlyException;
import dev.sluice.core.plugin.PluginKind;
import dev.sluice.core.plugin.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Builds a pipeline from its definition ({@code pipelines.NAME} of the merged configuration): source, processors,
 * sink, error sink, runner settings, jobs and read routes, each part from the catalog plugin its {@code type} names.
 * The fields are followed from processor to processor ({@link Fields}), so a setting that refers to a field no
 * schema declares is an error at its own key before anything starts; so is a sink that needs ordered writes under
 * a runner with several receivers or writers.
 *
 * <pre>{@code
 * PipelineAssembler assembler = new PipelineAssembler(Catalog.load(), resources);
 * try (AssembledPipeline orders = assembler.assemble("orders", definitions.definition("orders"))) {
 *     orders.start(registry, clock);
 *     …
 * }
 * }</pre>
 */
public final class PipelineAssembler {

    private final Catalog catalog;
    private final Resources resources;
    private final UnaryOperator<Source> sourceDecorator;

    public PipelineAssembler(Catalog catalog, Resources resources) {
        this(catalog, resources, UnaryOperator.identity());
    }

    private PipelineAssembler(Catalog catalog, Resources resources, UnaryOperator<Source> sourceDecorator) {
        this.catalog = catalog;
        this.resources = resources;
        this.sourceDecorator = sourceDecorator;
    }

    /**
     * An assembler that wraps every source the definitions name, for embeddings that must see or shape what the
     * runner receives (a crash test that stops between a write and its acknowledgement, a chaos proxy). The
     * definition's own settings, processors and sinks are used unchanged.
     */
    public PipelineAssembler decoratingSources(UnaryOperator<Source> decorator) {
        return new PipelineAssembler(catalog, resources, decorator);
    }

    /** Builds every part of {@code name}; what a part opened is closed again when a later part fails. */
    public AssembledPipeline assemble(String name, ConfigNode definition) {
        PipelineDefinitions.checkKeys(definition);
        List<AutoCloseable> closeAtEnd = new ArrayList<>();
        try {
            SourcePart source = build(name, PluginKind.SOURCE, definition.at("source"), Fields.UNKNOWN, closeAtEnd);
            Fields fields = Fields.UNKNOWN;
            Stage<Message, Event> stages = message -> Outcome.emit(Event.of(message));
            for (Processor decoder : source.decoders()) {
                stages = stages.then(decoder);
                fields = decoder.fieldsAfter(fields);
            }
            List<ConfigNode> processors = definition.at("processors").elements();
            Chain chain = chain(name, processors, new Chain(stages, fields, null), closeAtEnd);
            stages = chain.stages();
            fields = chain.fields();
            SinkWrapper wrapper = chain.wrapper();
            ConfigNode sinkNode = definition.at("sink");
            SinkPart sink = build(name, PluginKind.SINK, sinkNode, fields, closeAtEnd);
            if (wrapper != null) {
                if (!(sink.sink() instanceof BufferingSink<Event>)) {
                    throw processors.getLast().problem("dedupe needs a sink that gathers files (it must see when a"
                            + " file is stored); sink type " + sinkNode.at("type").text().orElse("") + " writes each"
                            + " batch at once and is idempotent by itself");
                }
                sink = wrapper.wrap(sink);
            }
            ErrorsPart errors = build(name, PluginKind.ERRORS, definition.at("errors"), fields, closeAtEnd);
            ConfigNode runnerNode = definition.at("runner");
            RunnerSettings runnerSettings = filling(sink, runnerNode, runnerNode.bind(RunnerSettings.class));
            checkOrder(definition, source, sink, runnerSettings);
            Runner<Event> runner = Runner.builder(name, sourceDecorator.apply(source.source()), stages, sink.sink(), errors.sink())
                    .settings(runnerSettings)
                    .rejectedMessages(errors.afterwards())
                    .metrics(new PipelineMetrics(resources.registry(), name))
                    .clock(resources.clock())
                    .build();
            List<AssembledPipeline.ScheduledJob> jobs = new ArrayList<>();
            for (ConfigNode node : definition.at("jobs").elements()) {
                jobs.add(job(name, node, fields, closeAtEnd));
            }
            return new AssembledPipeline(name, PipelineOutline.of(definition), runner, jobs,
                    routesAndPanels(name, definition, closeAtEnd), closeAtEnd);
        } catch (RuntimeException e) {
            closeAll(closeAtEnd, e);
            throw e;
        }
    }

    /**
     * A sink that holds messages until their file is stored fills a file only if more messages than a file holds can
     * be in flight: without {@code maxInFlight} the runner gets twice a file's events (one file filling while the last
     * one is stored); one set at or below a file's events is a config error.
     */
    private static RunnerSettings filling(SinkPart sink, ConfigNode runnerNode, RunnerSettings settings) {
        int perFile = sink.eventsPerFile();
        if (perFile == 0) {
            return settings;
        }
        ConfigNode maxInFlight = runnerNode.at("maxInFlight");
        if (maxInFlight.isMissing()) {
            return settings.withMaxInFlight((int) Math.min(Integer.MAX_VALUE, 2L * perFile));
        }
        if (settings.maxInFlight() <= perFile) {
            throw maxInFlight.problem("must exceed the sink's roll.maxEvents (" + perFile + "): messages are"
                    + " acknowledged only when their file is stored, so a file could never fill; raise maxInFlight"
                    + " (twice roll.maxEvents keeps one file filling while the last one is stored) or lower"
                    + " roll.maxEvents");
        }
        return settings;
    }

    /**
     * Checks {@code name} as far as it can be without reaching anything, reporting every problem to {@code problems}
     * ({@code sluice lint}); the assembler's resources must be {@link Resources#offline}. Each part is built as
     * {@link #assemble} builds it, so its own rules and the fields' (a mask of a field no schema declares, a sink
     * column fed by no field) are checked; a part that needs a connection is checked up to there. After a processor
     * that cannot be built the fields are not known, so nothing later is blamed for it: the later parts' settings
     * were bound by the definitions' check, and what they would say about the fields is not shown.
     */
    public void check(String name, ConfigNode definition, ConfigProblems problems) {
        PipelineDefinitions.checkKeys(definition, problems);
        if (!definition.isMapping()) {
            return;
        }
        List<AutoCloseable> closeAtEnd = new ArrayList<>();
        try {
            Optional<SourcePart> source = part(problems, name, PluginKind.SOURCE, definition.at("source"),
                    Fields.UNKNOWN, closeAtEnd);
            Fields fields = Fields.UNKNOWN;
            for (Processor decoder : source.map(SourcePart::decoders).orElse(List.of())) {
                fields = decoder.fieldsAfter(fields);
            }
            List<ConfigNode> processors = definition.at("processors").elements();
            // Once a step could not be built, what it does to the fields is not known: what the later parts say
            // about the fields (a format that needs them declared) could be untrue, so it is not shown.
            ConfigProblems afterFields = problems;
            for (ConfigNode node : processors) {
                Fields before = fields;
                Optional<Processor> processor = part(afterFields, name, PluginKind.PROCESSOR, node, before,
                        closeAtEnd);
                if (processor.orElse(null) instanceof SinkWrapper && node != processors.getLast()) {
                    problems.report(wrapperNotLast(node));
                }
                ConfigProblems reporting = afterFields;
                fields = processor.flatMap(p -> reporting.get(() -> fieldsAfter(p, before, node)))
                        .orElse(Fields.UNKNOWN);
                if (processor.isEmpty()) {
                    afterFields = ConfigProblems.collecting();
                }
            }
            Fields last = fields;
            ConfigNode sinkNode = definition.at("sink");
            Optional<SinkPart> sink = part(afterFields, name, PluginKind.SINK, sinkNode, last, closeAtEnd);
            part(afterFields, name, PluginKind.ERRORS, definition.at("errors"), last, closeAtEnd);
            Optional<RunnerSettings> runner = definition.at("runner").bind(RunnerSettings.class, problems);
            if (source.isPresent() && sink.isPresent() && runner.isPresent()) {
                problems.check(() -> checkOrder(definition, source.get(), sink.get(),
                        filling(sink.get(), definition.at("runner"), runner.get())));
            }
            for (ConfigNode node : definition.at("jobs").elements()) {
                offline(afterFields, () -> job(name, node, last, closeAtEnd));
            }
            for (ConfigNode node : definition.at("routes").elements()) {
                part(problems, name, PluginKind.ROUTES, node, Fields.UNKNOWN, closeAtEnd);
            }
        } finally {
            IllegalStateException closing = new IllegalStateException("closing what a check of " + name + " built"
                    + " failed");
            closeAll(closeAtEnd, closing);
            if (closing.getSuppressed().length > 0) {
                throw closing;
            }
        }
    }

    /**
     * The part at {@code node} built, or empty when it is missing (the definitions already said so), needs a
     * connection, or a problem was reported.
     */
    private <T> Optional<T> part(ConfigProblems problems, String pipeline, PluginKind kind, ConfigNode node,
                                 Fields fields, List<AutoCloseable> closeAtEnd) {
        return node.isMissing() ? Optional.empty()
                : offline(problems, () -> build(pipeline, kind, node, fields, closeAtEnd));
    }

    /** What {@code part} builds, or empty when it needs a connection or a problem was reported. */
    private static <T> Optional<T> offline(ConfigProblems problems, java.util.function.Supplier<T> part) {
        try {
            return problems.get(part);
        } catch (OnlineOnlyException online) {
            return Optional.empty();
        }
    }

    private static ConfigException wrapperNotLast(ConfigNode node) {
        return node.problem("a " + node.at("type").text().orElse("") + " processor works on the sink, so it must be"
                + " the last of the processors");
    }

    /** A sink that needs its writes in source order refuses a runner with several receivers or writers. */
    private static void checkOrder(ConfigNode definition, SourcePart source, SinkPart sink, RunnerSettings runner) {
        if (sink.ordered(source.source()) && (runner.receivers() != 1 || runner.writers() != 1)) {
            String why = sink.orderedWrites() ? "" : " from source type "
                    + definition.at("source").at("type").text().orElse("") + ", which replays in order";
            throw definition.at("runner").problem("sink type " + definition.at("sink").at("type").text().orElse("")
                    + " needs its writes in source order" + why + ": set receivers: 1 and writers: 1 (got "
                    + runner.receivers() + " and " + runner.writers() + ")");
        }
    }

    /**
     * Only the processors of {@code definition}, after its source's decoders, from a message to what its sink would
     * get: no source or sink is opened (a check of sample messages; {@link #processorChain} for a pipeline test). A
     * dedupe step, which works on the sink, passes events on.
     */
    public Stage<Message, Event> processors(String name, ConfigNode definition, List<AutoCloseable> closeAtEnd) {
        return processorChain(name, definition, List.of(), closeAtEnd).stages();
    }

    /**
     * What a pipeline test runs: the source's decoders (when its settings offer them, {@link DecodesMessages}; the
     * source is not opened), then the processors whose ids {@code only} names, in the definition's order, or all of
     * them when {@code only} is empty; with the fields they leave and the step that would wrap the sink, if any.
     *
     * @throws IllegalArgumentException when {@code only} names an id no processor has, listing the ids there are
     */
    public ProcessorChain processorChain(String name, ConfigNode definition, List<String> only,
                                         List<AutoCloseable> closeAtEnd) {
        List<ConfigNode> processors = definition.at("processors").elements();
        if (!only.isEmpty()) {
            List<String> ids = processors.stream().map(node -> node.at("id").text().orElse("")).toList();
            for (String id : only) {
                if (!ids.contains(id)) {
                    throw new IllegalArgumentException("pipeline " + name + " has no processor with id '" + id
                            + "' (its ids: " + String.join(", ", ids.stream().filter(i -> !i.isEmpty()).toList())
                            + ")");
                }
            }
            processors = processors.stream().filter(node -> only.contains(node.at("id").text().orElse(""))).toList();
        }
        Stage<Message, Event> stages = message -> Outcome.emit(Event.of(message));
        Fields fields = Fields.UNKNOWN;
        ConfigNode source = definition.at("source");
        if (!source.isMissing()
                && PipelineDefinitions.bind(catalog, PluginKind.SOURCE, source) instanceof DecodesMessages decoding) {
            for (Processor decoder : decoding.decoders()) {
                stages = stages.then(decoder);
                fields = decoder.fieldsAfter(fields);
            }
        }
        Chain chain = chain(name, processors, new Chain(stages, fields, null), closeAtEnd);
        return new ProcessorChain(chain.stages(), chain.fields(), Optional.ofNullable(chain.wrapper()));
    }

    /**
     * A definition's processors alone ({@link #processorChain}).
     *
     * @param stages      from a message to what the sink would get
     * @param fields      the fields that reach the sink (unknown without a schema)
     * @param sinkWrapper the last step when it works on the sink (dedupe): the events it passes the sink may still
     *                    drop as copies
     */
    public record ProcessorChain(Stage<Message, Event> stages, Fields fields, Optional<SinkWrapper> sinkWrapper) {
    }

    /** The stages so far, the fields they leave and the step that wraps the sink, if any. */
    private record Chain(Stage<Message, Event> stages, Fields fields, SinkWrapper wrapper) {
    }

    private Chain chain(String name, List<ConfigNode> processors, Chain chain, List<AutoCloseable> closeAtEnd) {
        Stage<Message, Event> stages = chain.stages();
        Fields fields = chain.fields();
        SinkWrapper wrapper = null;
        for (ConfigNode node : processors) {
            Processor processor = build(name, PluginKind.PROCESSOR, node, fields, closeAtEnd);
            if (processor instanceof SinkWrapper sinkWrapper) {
                if (node != processors.getLast()) {
                    throw wrapperNotLast(node);
                }
                wrapper = sinkWrapper;
            }
            fields = fieldsAfter(processor, fields, node);
            stages = stages.then(processor);
        }
        return new Chain(stages, fields, wrapper);
    }

    /**
     * Only the read routes of {@code definition}: no source or sink is opened (serving what a pipeline keeps
     * without running it, as the API benchmark does).
     */
    public List<ReadRoute> routes(String name, ConfigNode definition, List<AutoCloseable> closeAtEnd) {
        return routesAndPanels(name, definition, closeAtEnd).routes();
    }

    /** Every routes step of {@code definition}: their routes, and their panels, in the definition's order. */
    private Plugin.RoutesPart routesAndPanels(String name, ConfigNode definition, List<AutoCloseable> closeAtEnd) {
        List<ReadRoute> routes = new ArrayList<>();
        List<Panel> panels = new ArrayList<>();
        for (ConfigNode node : definition.at("routes").elements()) {
            Plugin.RoutesPart part = build(name, PluginKind.ROUTES, node, Fields.UNKNOWN, closeAtEnd);
            routes.addAll(part.routes());
            panels.addAll(part.panels());
        }
        return new Plugin.RoutesPart(routes, panels);
    }

    /** Only the job written at {@code jobs[index]} (an on-demand run): no source or sink is opened. */
    public AssembledPipeline.ScheduledJob job(String name, ConfigNode definition, String jobType,
                                              List<AutoCloseable> closeAtEnd) {
        for (ConfigNode node : definition.at("jobs").elements()) {
            if (node.at("type").text().orElse("").equals(jobType)) {
                return job(name, node, Fields.UNKNOWN, closeAtEnd);
            }
        }
        throw definition.at("jobs").problem("pipeline " + name + " has no job of type " + jobType);
    }

    private AssembledPipeline.ScheduledJob job(String name, ConfigNode node, Fields fields,
                                               List<AutoCloseable> closeAtEnd) {
        JobSchedule schedule = node.only(JobSchedule.KEYS).bind(JobSchedule.class);
        Job job = build(name, PluginKind.JOB, node.without(JobSchedule.KEYS), fields, closeAtEnd);
        return new AssembledPipeline.ScheduledJob(job, schedule);
    }

    private static Fields fieldsAfter(Processor processor, Fields before, ConfigNode node) {
        try {
            return processor.fieldsAfter(before);
        } catch (IllegalArgumentException rule) {
            throw node.brokenRule(rule.getMessage(), rule);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T build(String pipeline, PluginKind kind, ConfigNode node, Fields fields,
                        List<AutoCloseable> closeAtEnd) {
        if (node.isMissing()) {
            throw node.problem("every pipeline needs a " + kind.description());
        }
        Plugin<Object, T> plugin = (Plugin<Object, T>) catalog.plugin(kind, node);
        Object settings = PipelineDefinitions.bind(catalog, kind, node);
        try {
            return plugin.factory().create(settings, resources.context(pipeline, node.path(), fields, closeAtEnd));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException rule) {
            throw node.brokenRule(rule.getMessage(), rule);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(node.path().keyPath() + " (" + plugin.type() + "): " + e.getMessage(), e);
        }
    }

    private static void closeAll(List<AutoCloseable> opened, RuntimeException failure) {
        for (AutoCloseable resource : opened.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        opened.clear();
    }
}
