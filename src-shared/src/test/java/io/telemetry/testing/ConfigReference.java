package io.telemetry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the README's configuration tables honest: the environment variables of a {@code @ConfigMapping}
 * interface, with their defaults, derived by reflection; and the rows of the table under a README
 * heading. Each app's tests compare the two, so a key added in code and forgotten in the README (or
 * the other way round) fails the build. Shipped in the contract's test jar only.
 */
public final class ConfigReference {

    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    private ConfigReference() {
    }

    /**
     * Every key of a mapping as its environment variable ({@code simulator.device-id} is
     * {@code SIMULATOR_DEVICE_ID}), with its {@code @WithDefault} value or {@code null}.
     *
     * @param prefix the mapping's prefix, e.g. {@code simulator}
     */
    public static Map<String, String> variables(Class<?> mapping, String prefix) {
        Map<String, String> variables = new LinkedHashMap<>();
        collect(mapping, prefix, variables);
        return variables;
    }

    private static void collect(Class<?> type, String prefix, Map<String, String> variables) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isDefault() || method.isSynthetic() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == type && !returned.getName().startsWith("java.")) {
                collect(returned, key, variables);
                continue;
            }
            io.smallrye.config.WithDefault fallback = method.getAnnotation(io.smallrye.config.WithDefault.class);
            variables.put(key.replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT),
                    fallback == null ? null : fallback.value());
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The rows of the tables under {@code heading} (a line of README.md, e.g. {@code ## monitor-service}), up
     * to the next such heading: each variable named in backticks in a row's first cell, with the row's last
     * cell without backticks.
     */
    public static Map<String, String> readmeTable(Path readme, String heading) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalArgumentException(readme + " has no heading '" + heading + "'");
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String last = cells[cells.length - 1].isBlank() && cells.length > 1 ? cells[cells.length - 2] : cells[cells.length - 1];
            Matcher variable = VARIABLE.matcher(cells[1]);
            while (variable.find()) {
                rows.put(variable.group(1), last.trim().replace("`", ""));
            }
        }
        return rows;
    }
}
