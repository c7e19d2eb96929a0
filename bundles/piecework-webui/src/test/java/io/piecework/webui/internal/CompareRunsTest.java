package io.piecework.webui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piecework.compare.Comparison;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareRunsTest {
    @Test
    void theCsvBecomesColumnsAndARowPerStrategyEmptyCellsKept() {
        var table = CompareRuns.table(List.of("strategy,cpu_per_update_us,idle_cpu_percent_pct_core", "naive,208.36,",
                "cached,16.12,0.42", ""));
        assertEquals("[\"strategy\",\"cpu_per_update_us\",\"idle_cpu_percent_pct_core\"]", table.get("columns").toString());
        assertEquals("[[\"naive\",\"208.36\",\"\"],[\"cached\",\"16.12\",\"0.42\"]]", table.get("rows").toString());
    }

    @Test
    void onlyTheMenusSecondsAreRunAndNothingStartsOtherwise() {
        try (CompareRuns runs = new CompareRuns()) {
            Comparison never = (Comparison) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Comparison.class}, (p, m, a) -> {
                        throw new AssertionError("ran");
                    });
            assertThrows(IllegalArgumentException.class, () -> runs.start(never, 3600));
            assertThrows(IllegalArgumentException.class, () -> runs.start(never, 0));
            assertFalse(runs.state().get("running").getAsBoolean());
        }
    }
}
