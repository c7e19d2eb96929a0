package io.piecework.compare.internal;

import io.piecework.api.strategy.RequestStrategy;
import io.piecework.compare.Comparison;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link Comparison} service: every {@link RequestStrategy} service with a
 * {@value RequestStrategy#NAME_PROPERTY} is compared, in name order. Strategies may come and
 * go; a run compares those installed when it starts (one leaving mid-run is still measured:
 * the run holds its own reference).
 */
@Component(service = Comparison.class)
public final class ComparisonComponent implements Comparison {
    private final Map<String, RequestStrategy> strategies = new ConcurrentSkipListMap<>();

    public ComparisonComponent() {
    }

    /** For harnesses outside OSGi: compares the given strategies. */
    public ComparisonComponent(Map<String, RequestStrategy> strategies) {
        this.strategies.putAll(strategies);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + RequestStrategy.NAME_PROPERTY + "=*)")
    void addStrategy(RequestStrategy strategy, Map<String, Object> properties) {
        strategies.put(String.valueOf(properties.get(RequestStrategy.NAME_PROPERTY)), strategy);
    }

    void removeStrategy(RequestStrategy strategy, Map<String, Object> properties) {
        strategies.remove(String.valueOf(properties.get(RequestStrategy.NAME_PROPERTY)), strategy);
    }

    @Override
    public List<String> strategies() {
        return List.copyOf(strategies.keySet());
    }

    @Override
    public void run(List<String> args, PrintStream out, PrintStream err, Path cwd)
            throws IOException, InterruptedException {
        Options options = Options.parse(args);
        Map<String, RequestStrategy> chosen = new ConcurrentSkipListMap<>(strategies);
        if (!options.strategies().isEmpty()) {
            chosen.keySet().retainAll(options.strategies());
            List<String> missing = new ArrayList<>(options.strategies());
            missing.removeAll(chosen.keySet());
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("not installed: " + String.join(", ", missing)
                        + " (installed: " + String.join(", ", strategies()) + ")");
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalStateException("no request strategy is installed");
        }
        List<Result> results = compare(options.scenario(), chosen, err);
        TextTable.write(options.scenario(), results, out);
        if (options.csv() != null) {
            writeFile(cwd.resolve(options.csv()), s -> CsvReport.write(results, s));
        }
        if (options.html() != null) {
            writeFile(cwd.resolve(options.html()), s -> HtmlReport.write(options.scenario(), results, s));
        }
    }

    /**
     * Runs like {@code piecework compare}: errors as one line on {@code err}, and the exit
     * status: 0 done, 1 failed, 2 bad usage (with the usage line).
     */
    public static int main(Comparison comparison, List<String> args, PrintStream out, PrintStream err, Path cwd) {
        try {
            comparison.run(args, out, err, cwd);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("piecework: " + e.getMessage());
            err.println("usage: piecework compare " + USAGE);
            return 2;
        } catch (IllegalStateException | IOException e) {
            err.println("piecework: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("piecework: interrupted");
            return 1;
        }
    }

    /** Measures each strategy in turn, telling {@code progress} which one runs. */
    static List<Result> compare(Scenario scenario, Map<String, RequestStrategy> strategies, PrintStream progress)
            throws InterruptedException {
        List<Result> results = new ArrayList<>();
        Measure measure = new Measure();
        for (Map.Entry<String, RequestStrategy> e : strategies.entrySet()) {
            progress.println("measuring " + e.getKey() + " ...");
            results.add(measure.run(e.getKey(), e.getValue(), scenario));
        }
        return results;
    }

    private interface Writer {
        void write(PrintStream out);
    }

    private static void writeFile(Path file, Writer writer) throws IOException {
        try (OutputStream o = Files.newOutputStream(file);
                PrintStream s = new PrintStream(o, false, StandardCharsets.UTF_8)) {
            writer.write(s);
            if (s.checkError()) {
                throw new IOException(file + ": write failed");
            }
        }
    }
}
