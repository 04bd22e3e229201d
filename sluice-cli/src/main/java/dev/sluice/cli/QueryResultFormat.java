package dev.sluice.cli;

import dev.sluice.pipelines.lake.LakeQuery;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** How {@code sluice lake query} prints its rows: an aligned table, CSV (RFC 4180) or a JSON array of objects. */
enum QueryResultFormat {
    TABLE {
        @Override
        void print(LakeQuery.Result result, PrintWriter out) {
            List<String[]> lines = new ArrayList<>();
            lines.add(result.columns().toArray(String[]::new));
            for (List<Object> row : result.rows()) {
                lines.add(row.stream().map(v -> v == null ? "NULL" : v.toString()).toArray(String[]::new));
            }
            int[] widths = new int[result.columns().size()];
            // A column of numbers is right-aligned, its header too, so digits line up.
            boolean[] numeric = new boolean[widths.length];
            for (List<Object> row : result.rows()) {
                for (int i = 0; i < row.size(); i++) {
                    numeric[i] |= row.get(i) instanceof Number;
                }
            }
            for (String[] line : lines) {
                for (int i = 0; i < line.length; i++) {
                    widths[i] = Math.max(widths[i], line[i].length());
                }
            }
            for (int l = 0; l < lines.size(); l++) {
                String[] line = lines.get(l);
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < line.length; i++) {
                    String pad = " ".repeat(widths[i] - line[i].length());
                    text.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + line[i] : line[i] + pad);
                }
                out.println(text.toString().stripTrailing());
                if (l == 0) {
                    StringBuilder rule = new StringBuilder();
                    for (int i = 0; i < widths.length; i++) {
                        rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
                    }
                    out.println(rule);
                }
            }
            out.printf("(%d %s)%n", result.rows().size(), result.rows().size() == 1 ? "row" : "rows");
        }
    },
    CSV {
        @Override
        void print(LakeQuery.Result result, PrintWriter out) {
            out.print(String.join(",", result.columns().stream().map(QueryResultFormat::csv).toList()) + "\r\n");
            for (List<Object> row : result.rows()) {
                out.print(String.join(",", row.stream().map(v -> v == null ? "" : csv(v.toString())).toList())
                        + "\r\n");
            }
        }
    },
    JSON {
        @Override
        void print(LakeQuery.Result result, PrintWriter out) {
            ArrayNode rows = MAPPER.createArrayNode();
            for (List<Object> row : result.rows()) {
                ObjectNode o = rows.addObject();
                for (int i = 0; i < row.size(); i++) {
                    String name = result.columns().get(i);
                    switch (row.get(i)) {
                        case null -> o.putNull(name);
                        case Long v -> o.put(name, v);
                        case Integer v -> o.put(name, v);
                        case Short v -> o.put(name, v);
                        case Byte v -> o.put(name, v);
                        case Double v -> o.put(name, v);
                        case Float v -> o.put(name, v);
                        case BigInteger v -> o.put(name, v);
                        case BigDecimal v -> o.put(name, v);
                        case Boolean v -> o.put(name, v);
                        case Object v -> o.put(name, v.toString());
                    }
                }
            }
            out.println(MAPPER.writeValueAsString(rows));
        }
    };

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    abstract void print(LakeQuery.Result result, PrintWriter out);

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
