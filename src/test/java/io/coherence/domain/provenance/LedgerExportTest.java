package io.coherence.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerExportTest {

    private static LedgerVerification check(String text) {
        return LedgerExport.check(new BufferedReader(new StringReader(text)));
    }

    @Test
    void anExportChecksAsTheStoredChainDoes() {
        LedgerChains chain = new LedgerChains("t\t1\\x").ingest(3).add(LedgerAction.POLICY, "line\nbreak\r\tand \\N", "d").ingest(1);
        List<StoredLedgerEntry> stored = new ArrayList<>(chain.stored());

        assertThat(check(chain.export(stored))).isEqualTo(chain.check(stored)).isEqualTo(new LedgerVerification(3, true, null));
        stored.set(1, new StoredLedgerEntry("2", null, "POLICY", "x", "d", "p", "h"));
        assertThat(check(chain.export(stored))).isEqualTo(chain.check(stored)).isEqualTo(new LedgerVerification(3, false, 2L));
    }

    @Test
    void fieldsSurviveTheEscapes() {
        for (String field : new String[] {"", "\\N", "\\", "a\tb\nc\rd\\te", null}) {
            assertThat(LedgerExport.fields("x\t" + LedgerExport.escape(field))).containsExactly("x", field);
        }
    }

    @Test
    void textThatIsNoExportIsRefused() {
        assertThatThrownBy(() -> check("hello\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> check("tenant\tt\nhead\tx\t\\N\nsignals\t0\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> check("tenant\tt\nsignals\t0\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
