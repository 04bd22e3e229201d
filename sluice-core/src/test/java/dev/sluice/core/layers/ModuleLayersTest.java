package dev.sluice.core.layers;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layer rule of docs/architecture.md, read from the modules themselves: what each module's pom declares for its
 * main code, and which Sluice packages its main sources name (imports and fully qualified names alike). Connectors
 * and the server build on core alone; the pipelines compose connectors and know no server; the server and the
 * connectors carry no shipped pipeline's name.
 */
class ModuleLayersTest {

    private static final Path ROOT = Path.of(System.getProperty("sluice.root"));
    private static final Pattern SLUICE_PACKAGE = Pattern.compile("\\bdev\\.sluice\\.([a-z]+)\\b");
    /** The modules whose main code may name only core and themselves. */
    private static final List<String> ON_CORE_ONLY = List.of("sluice-aws", "sluice-postgres", "sluice-parquet",
            "sluice-redis", "sluice-server");

    @Test
    void connectorsAndTheServerDependOnCoreOnly() {
        for (String module : ON_CORE_ONLY) {
            assertThat(mainDependencies(module)).as("%s/pom.xml: Sluice modules its main code depends on", module)
                    .containsExactly("sluice-core");
            assertThat(namedPackages(module)).as("Sluice packages %s's main sources name", module)
                    .isSubsetOf("core", packageOf(module));
        }
    }

    @Test
    void thePipelinesDoNotDependOnTheServer() {
        assertThat(mainDependencies("sluice-pipelines")).as("sluice-pipelines/pom.xml, main scope")
                .doesNotContain("sluice-server", "sluice-cli");
        assertThat(namedPackages("sluice-pipelines")).as("Sluice packages sluice-pipelines' main sources name")
                .doesNotContain("server", "cli", "bench");
    }

    @Test
    void theServerAndTheConnectorsNameNoShippedPipeline() throws IOException {
        Set<String> pipelines = new TreeSet<>(List.of("lake"));
        try (Stream<Path> shipped = Files.list(ROOT.resolve("sluice-pipelines/src/main/resources/sluice/pipelines"))) {
            shipped.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .forEach(n -> pipelines.add(n.substring(0, n.length() - ".yaml".length())));
        }
        assertThat(pipelines).contains("logins", "playtime", "tracking");
        Pattern name = Pattern.compile("(?i)\\b(" + String.join("|", pipelines) + ")\\b");
        List<String> found = new ArrayList<>();
        for (Path file : files(ROOT.resolve("sluice-server/src/main"))) {
            Matcher m = name.matcher(Files.readString(file));
            while (m.find()) {
                found.add(ROOT.relativize(file) + ": " + m.group());
            }
        }
        // Connectors: no class named after a pipeline. The lake's Parquet writer (parquet/lake) moves with the lake.
        for (String module : List.of("sluice-aws", "sluice-postgres", "sluice-parquet", "sluice-redis")) {
            for (Path file : files(ROOT.resolve(module).resolve("src"))) {
                String file1 = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!file.toString().contains("/parquet/lake/") && pipelines.stream()
                        .filter(p -> !p.equals("lake")).anyMatch(file1::startsWith)) {
                    found.add(ROOT.relativize(file).toString());
                }
            }
        }
        assertThat(found).as("pipeline names where only plugins' and users' words belong").isEmpty();
    }

    /** The Sluice artifacts the module's pom declares outside the test scope. */
    private static List<String> mainDependencies(String module) {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(ROOT.resolve(module).resolve("pom.xml").toFile()).getDocumentElement();
            List<String> found = new ArrayList<>();
            for (Element dependencies : children(project, "dependencies")) {
                for (Element dependency : children(dependencies, "dependency")) {
                    Map<String, String> fields = Map.of("groupId", text(dependency, "groupId"),
                            "artifactId", text(dependency, "artifactId"), "scope", text(dependency, "scope"));
                    if (fields.get("groupId").equals("dev.sluice") && !fields.get("scope").equals("test")) {
                        found.add(fields.get("artifactId"));
                    }
                }
            }
            return found;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + module + "/pom.xml", e);
        }
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? "" : found.getFirst().getTextContent().strip();
    }

    /** {@code sluice-postgres} → {@code postgres}. */
    private static String packageOf(String module) {
        return module.substring("sluice-".length());
    }

    /** The second segment of every {@code dev.sluice.X} the module's main Java sources name. */
    private static Set<String> namedPackages(String module) {
        Set<String> found = new TreeSet<>();
        for (Path file : files(ROOT.resolve(module).resolve("src/main/java"))) {
            try {
                Matcher m = SLUICE_PACKAGE.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
