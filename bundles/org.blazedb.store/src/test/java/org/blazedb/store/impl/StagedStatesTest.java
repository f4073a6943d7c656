package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The staged states of a write find the last state staged for every id, appended or not. */
class StagedStatesTest {
    @Test
    void everyIdFindsTheLastStateStagedForIt() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            StagedStates staged = new StagedStates("k-050", 2);
            Map<String, DocState> model = new HashMap<>();
            String greatest = "k-050";
            for (int step = 0; step < 300; step++) {
                String id = "k-" + String.format("%03d", random.nextInt(400)) + (random.nextInt(8) == 0 ? "\uD83D\uDE00" : "");
                boolean appends = staged.appends(id);
                assertEquals(IdKeyType.INSTANCE.compare(id, greatest) > 0, appends, "seed " + seed + " " + id);
                DocState state = DocState.empty();
                staged.put(id, state, appends);
                model.put(id, state);
                if (appends) {
                    greatest = id;
                }
                String probe = "k-" + String.format("%03d", random.nextInt(400));
                assertSame(model.get(probe), staged.get(probe), "seed " + seed + " step " + step + " " + probe);
                assertSame(state, staged.get(id));
            }
        }
    }
}
