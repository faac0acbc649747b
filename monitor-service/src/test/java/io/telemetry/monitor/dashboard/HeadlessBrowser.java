package io.telemetry.monitor.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's own WebSocket
 * client: open a page, evaluate JavaScript in it, collect the page's uncaught errors. Chromium is found
 * as {@code $CHROME_BIN}, {@code chromium}, {@code chromium-browser} or {@code google-chrome}.
 */
public final class HeadlessBrowser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> requested = new ConcurrentHashMap<>(); // request id -> URL

    private HeadlessBrowser(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The Chromium executable, or a failure that says how to get one. */
    static String executable() {
        return Optional.ofNullable(System.getenv("CHROME_BIN")).filter(bin -> !bin.isBlank())
                .or(() -> Stream.of("chromium", "chromium-browser", "google-chrome")
                        .flatMap(name -> Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, name)))
                        .filter(Files::isExecutable).map(Path::toString).findFirst())
                .orElseThrow(() -> new IllegalStateException("The dashboard test needs a headless Chromium: "
                        + "apt-get install chromium (or set CHROME_BIN); to leave browser tests out, run with "
                        + "-DexcludedGroups=browser"));
    }

    /** Starts Chromium on a page of its own, ready to {@link #open}. */
    public static HeadlessBrowser start() throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(executable(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--window-size=1280,800", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        // One thread reads Chromium's output throughout: it hands over the DevTools address, then drains.
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null;) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        listening.complete(matcher.group(1));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.completeExceptionally(new IllegalStateException("Chromium ended without a DevTools port"));
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        String browserSocket;
        try {
            browserSocket = listening.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools port within 60 s", e);
        }
        URI browser = URI.create(browserSocket);
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String page = null;
        for (JsonNode target : targets) {
            if ("page".equals(target.path("type").asText())) {
                page = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (page == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium has no page target: " + targets);
        }
        HeadlessBrowser[] self = new HeadlessBrowser[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    self[0].received(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        self[0] = new HeadlessBrowser(process, profile, socket);
        self[0].call("Runtime.enable", Map.of());
        self[0].call("Page.enable", Map.of());
        self[0].call("Log.enable", Map.of()); // the browser's own errors: a resource that failed to load, say
        self[0].call("Network.enable", Map.of()); // every request the page makes, and those that fail
        return self[0];
    }

    private void received(String message) {
        try {
            JsonNode json = JSON.readTree(message);
            if (json.has("id")) {
                CompletableFuture<JsonNode> answer = pending.remove(json.get("id").asInt());
                if (answer != null) {
                    answer.complete(json);
                }
            } else if ("Runtime.exceptionThrown".equals(json.path("method").asText())) {
                JsonNode details = json.path("params").path("exceptionDetails");
                errors.add(details.path("exception").path("description").asText(details.path("text").asText()));
            } else if ("Log.entryAdded".equals(json.path("method").asText())
                    && "error".equals(json.path("params").path("entry").path("level").asText())) {
                JsonNode entry = json.path("params").path("entry");
                errors.add(entry.path("text").asText() + " " + entry.path("url").asText());
            } else if ("Network.requestWillBeSent".equals(json.path("method").asText())) {
                String url = json.path("params").path("request").path("url").asText();
                requests.add(url);
                requested.put(json.path("params").path("requestId").asText(), url);
            } else if ("Network.loadingFailed".equals(json.path("method").asText())
                    && !json.path("params").path("canceled").asBoolean()) {
                JsonNode params = json.path("params");
                errors.add("request failed: " + requested.get(params.path("requestId").asText()) + " "
                        + params.path("errorText").asText());
            } else if ("Runtime.consoleAPICalled".equals(json.path("method").asText())
                    && "error".equals(json.path("params").path("type").asText())) {
                errors.add("console.error: " + json.path("params").path("args"));
            }
        } catch (IOException e) {
            errors.add("unreadable DevTools message: " + message);
        }
    }

    private JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(request), true).get(10, TimeUnit.SECONDS);
        JsonNode response = answer.get(30, TimeUnit.SECONDS);
        if (response.has("error")) {
            throw new IllegalStateException(method + " failed: " + response.get("error"));
        }
        return response.path("result");
    }

    /** Makes the page as wide and high as a phone's screen of these CSS pixels, from the next load on. */
    void viewport(int width, int height) throws Exception {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", true));
    }

    /** Navigates the page to {@code url}. */
    public void open(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page, as JSON (null if it threw or is undefined). */
    public JsonNode eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return result.has("exceptionDetails") ? null : result.path("result").path("value");
    }

    /** The text of the first element matching a CSS selector, or null if none does. */
    public String text(String selector) throws Exception {
        return string("document.querySelector('" + selector + "')?.textContent ?? null");
    }

    /** A {@code data-} attribute (by its camel-case name) of the first element matching a CSS selector, or null. */
    public String data(String selector, String name) throws Exception {
        return string("document.querySelector('" + selector + "')?.dataset." + name + " ?? null");
    }

    private String string(String expression) throws Exception {
        JsonNode value = eval(expression);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Saves what the page shows as a PNG. */
    public void screenshot(Path file) throws Exception {
        Files.write(file, Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png"))
                .path("data").asText()));
    }

    /** The URLs of every request the page has made so far, scripts, styles, images and fetches included. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The page's uncaught JavaScript errors, console errors, failed requests and the browser's own errors so far. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        // Chromium's helper processes may still write their last files while the walk goes: removing the
        // temporary profile is best effort, never a test's failure.
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (UncheckedIOException | IOException e) {
            // left in the temporary folder
        }
    }
}
