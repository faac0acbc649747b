package io.telemetry.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown (README, docs/, the modules' READMEs, bench/) leads to a
 * file that exists, and a link to a heading ({@code file.md#heading}) to a heading that exists, named as
 * GitHub names its anchors: the docs were split into many files, and a moved paragraph must not leave a
 * dead link behind.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> NOT_DOCS = Set.of("target", ".git", "node_modules", ".local-kafka", ".mvn");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkLeadsToAFileAndAHeadingThatExist() throws IOException {
        List<Path> docs;
        try (Stream<Path> files = Files.walk(ROOT)) {
            docs = files.filter(path -> path.toString().endsWith(".md"))
                    .filter(path -> Stream.of(ROOT.relativize(path).toString().split("/")).noneMatch(NOT_DOCS::contains))
                    .toList();
        }
        assertThat(docs).as("Markdown files found").extracting(path -> ROOT.relativize(path).toString())
                .contains("README.md", "docs/monitor-service.md", "local-kafka/README.md", "bench/README.md");

        List<String> dead = new ArrayList<>();
        int links = 0;
        for (Path doc : docs) {
            Matcher link = LINK.matcher(FENCE.matcher(Files.readString(doc)).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                links++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                String where = ROOT.relativize(doc) + ": " + target;
                if (!Files.exists(linked)) {
                    dead.add(where + " (no such file)");
                } else if (hash >= 0 && linked.toString().endsWith(".md")
                        && !anchors(linked).contains(target.substring(hash + 1))) {
                    dead.add(where + " (no such heading; there are " + anchors(linked) + ")");
                }
            }
        }
        assertThat(links).as("relative links checked").isGreaterThan(10);
        assertThat(dead).as("dead links").isEmpty();
    }

    /** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path doc) {
        try {
            Matcher heading = HEADING.matcher(FENCE.matcher(Files.readString(doc)).replaceAll(""));
            return heading.results().map(found -> found.group(1).toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-')).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
