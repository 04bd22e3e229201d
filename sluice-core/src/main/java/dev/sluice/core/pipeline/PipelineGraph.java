package dev.sluice.core.pipeline;

import dev.sluice.core.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A picture of a pipeline definition, as {@code sluice graph} draws it: the source, each processor in order and the
 * sink on one line, the error sink that takes the rejects, and the jobs and read routes beside the sink. Made from
 * the definition alone (types, ids and the one setting that says where each part reads or writes), so it needs no
 * server and follows every change of the YAML.
 *
 * @param name       the pipeline's name
 * @param main       source, processors, sink, in the order events flow
 * @param errors     the error sink, if written
 * @param beside     jobs and routes
 */
public record PipelineGraph(String name, List<Box> main, Box errors, List<Box> beside) {

    /** Settings that say best where a part reads or writes, shown under its type; the first one written is shown. */
    private static final List<String> WHERE = List.of("queue", "stream", "table", "bucket", "path");

    /** One part: what it is (its kind and type, or id) and where it reads or writes. */
    public record Box(String id, String kind, String title, String detail) {
    }

    public PipelineGraph {
        main = List.copyOf(main);
        beside = List.copyOf(beside);
    }

    /** The graph of {@code definition}, the merged {@code pipelines.NAME}. */
    public static PipelineGraph of(String name, ConfigNode definition) {
        List<Box> main = new ArrayList<>();
        main.add(box("source", "source", definition.at("source")));
        List<ConfigNode> processors = definition.at("processors").elements();
        for (int i = 0; i < processors.size(); i++) {
            main.add(box("p" + i, "processor", processors.get(i)));
        }
        main.add(box("sink", "sink", definition.at("sink")));
        Box errors = definition.at("errors").isMissing() ? null : box("errors", "errors", definition.at("errors"));
        List<Box> beside = new ArrayList<>();
        List<ConfigNode> jobs = definition.at("jobs").elements();
        for (int i = 0; i < jobs.size(); i++) {
            beside.add(box("job" + i, "job", jobs.get(i)));
        }
        List<ConfigNode> routes = definition.at("routes").elements();
        for (int i = 0; i < routes.size(); i++) {
            beside.add(box("routes" + i, "routes", routes.get(i)));
        }
        return new PipelineGraph(name, main, errors, beside);
    }

    private static Box box(String id, String kind, ConfigNode part) {
        String type = part.at("type").text().orElse("?");
        String title = part.at("id").text().filter(step -> !step.equals(type)).map(step -> type + " (" + step + ")")
                .orElse(type);
        String detail = "";
        for (String key : WHERE) {
            if (part.at(key).text().isPresent()) {
                detail = key + ": " + part.at(key).text().get();
                break;
            }
        }
        return new Box(id, kind, kind + " " + title, detail);
    }

    /** In Graphviz's DOT language, one cluster per graph. */
    public static String dot(List<PipelineGraph> graphs) {
        StringBuilder dot = new StringBuilder("digraph sluice {\n  rankdir=LR;\n  node [shape=box, style=rounded,"
                + " fontname=\"Helvetica\"];\n");
        for (PipelineGraph graph : graphs) {
            String prefix = graph.name().replaceAll("[^A-Za-z0-9_]", "_") + "_";
            dot.append("  subgraph \"cluster_").append(graph.name()).append("\" {\n    label=")
                    .append(quoted("pipeline " + graph.name())).append(";\n");
            List<Box> all = new ArrayList<>(graph.main());
            if (graph.errors() != null) {
                all.add(graph.errors());
            }
            all.addAll(graph.beside());
            for (Box box : all) {
                dot.append("    ").append(prefix).append(box.id()).append(" [label=")
                        .append(quoted(box.detail().isEmpty() ? box.title() : box.title() + "\n" + box.detail()))
                        .append(box.kind().equals("errors") ? ", style=\"rounded,dashed\"" : "").append("];\n");
            }
            for (int i = 1; i < graph.main().size(); i++) {
                dot.append("    ").append(prefix).append(graph.main().get(i - 1).id()).append(" -> ").append(prefix)
                        .append(graph.main().get(i).id()).append(";\n");
            }
            if (graph.errors() != null) {
                dot.append("    ").append(prefix).append("source -> ").append(prefix).append("errors [style=dashed,"
                        + " label=\"rejects (any step)\"];\n");
            }
            for (Box box : graph.beside()) {
                dot.append("    ").append(prefix).append("sink -> ").append(prefix).append(box.id())
                        .append(" [style=dotted, arrowhead=none];\n");
            }
            dot.append("  }\n");
        }
        return dot.append("}\n").toString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    // ---- SVG: a fixed layout, so no layout engine is needed and the drawing is the same on every machine ---------

    private static final int CHAR = 7;
    private static final int HEIGHT = 44;
    private static final int GAP = 36;
    private static final int MARGIN = 16;

    /** The graphs one under another, events flowing left to right. */
    public static String svg(List<PipelineGraph> graphs) {
        StringBuilder body = new StringBuilder();
        int y = MARGIN;
        int width = 0;
        for (PipelineGraph graph : graphs) {
            body.append(text(MARGIN, y + 12, "pipeline " + graph.name(), "font-weight=\"bold\""));
            y += 24;
            int x = MARGIN;
            List<int[]> placed = new ArrayList<>();
            for (Box box : graph.main()) {
                int w = boxWidth(box);
                if (!placed.isEmpty()) {
                    body.append(arrow(x - GAP, y + HEIGHT / 2, x, y + HEIGHT / 2, false));
                }
                body.append(rect(x, y, w, box, false));
                placed.add(new int[]{x, w});
                x += w + GAP;
            }
            width = Math.max(width, x - GAP + MARGIN);
            int below = y + HEIGHT + GAP;
            int lowest = y + HEIGHT;
            int free = MARGIN;
            if (graph.errors() != null) {
                int[] source = placed.getFirst();
                body.append(arrow(source[0] + source[1] / 2, y + HEIGHT, source[0] + source[1] / 2, below, true));
                body.append(text(source[0] + source[1] / 2 + 6, y + HEIGHT + GAP / 2 + 4, "rejects (any step)", ""));
                int w = boxWidth(graph.errors());
                body.append(rect(source[0], below, w, graph.errors(), true));
                lowest = below + HEIGHT;
                width = Math.max(width, source[0] + w + MARGIN);
                free = source[0] + w + GAP / 2;
            }
            int[] sink = placed.getLast();
            int bx = Math.max(sink[0], free);
            for (Box box : graph.beside()) {
                int w = boxWidth(box);
                body.append(line(sink[0] + sink[1] / 2, y + HEIGHT, bx + w / 2, below));
                body.append(rect(bx, below, w, box, false));
                bx += w + GAP / 2;
                lowest = below + HEIGHT;
                width = Math.max(width, bx - GAP / 2 + MARGIN);
            }
            y = lowest + GAP;
        }
        int height = y - GAP + MARGIN;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"Helvetica, Arial, sans-serif\""
                + " font-size=\"12\">\n"
                + "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker></defs>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n";
    }

    private static int boxWidth(Box box) {
        return Math.max(box.title().length(), box.detail().length()) * CHAR + 20;
    }

    private static String rect(int x, int y, int w, Box box, boolean dashed) {
        String fill = switch (box.kind()) {
            case "source" -> "#e3f2fd";
            case "sink" -> "#e8f5e9";
            case "errors" -> "#ffebee";
            case "job", "routes" -> "#f3e5f5";
            default -> "#fffde7";
        };
        return "<rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + w + "\" height=\"" + HEIGHT + "\" rx=\"6\" fill=\""
                + fill + "\" stroke=\"#444\"" + (dashed ? " stroke-dasharray=\"5,3\"" : "") + "/>\n"
                + text(x + 10, y + (box.detail().isEmpty() ? 26 : 18), box.title(), "")
                + (box.detail().isEmpty() ? "" : text(x + 10, y + 34, box.detail(), "fill=\"#555\""));
    }

    private static String arrow(int x1, int y1, int x2, int y2, boolean dashed) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#444\""
                + (dashed ? " stroke-dasharray=\"5,3\"" : "") + " marker-end=\"url(#arrow)\"/>\n";
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#888\""
                + " stroke-dasharray=\"2,3\"/>\n";
    }

    private static String text(int x, int y, String text, String attributes) {
        return "<text x=\"" + x + "\" y=\"" + y + "\"" + (attributes.isEmpty() ? "" : " " + attributes) + ">"
                + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</text>\n";
    }
}
