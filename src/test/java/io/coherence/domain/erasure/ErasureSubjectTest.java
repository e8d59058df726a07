package io.coherence.domain.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErasureSubjectTest {

    @Test
    void aSourceAsIngestAcceptsItIsASubject() {
        assertThat(ErasureSubject.violation("device-7")).isEmpty();
        assertThat(ErasureSubject.violation("Gerät 7 (Küche)")).isEmpty();
        assertThat(ErasureSubject.violation("x".repeat(128))).isEmpty();
        assertThat(new ErasureSubject("device-7").wholeTenant()).isFalse();
    }

    @Test
    void aStarIsTheWholeTenant() {
        assertThat(new ErasureSubject("*").wholeTenant()).isTrue();
    }

    @Test
    void missingOversizedAndHostileTextIsRefusedWithItsCode() {
        assertThat(ErasureSubject.violation(null)).contains("REQUIRED");
        assertThat(ErasureSubject.violation("")).contains("REQUIRED");
        assertThat(ErasureSubject.violation("   ")).contains("REQUIRED");
        assertThat(ErasureSubject.violation("x".repeat(129))).contains("TOO_LONG");
        assertThat(ErasureSubject.violation("a\u0000b")).contains("NOT_PRINTABLE");
        assertThat(ErasureSubject.violation("a\nb")).contains("NOT_PRINTABLE");
        assertThat(ErasureSubject.violation("evil\u202Egnp.exe")).contains("NOT_PRINTABLE");
        assertThat(ErasureSubject.violation("zero\u200Bwidth")).contains("NOT_PRINTABLE");
        assertThat(ErasureSubject.violation(" padded")).contains("NOT_PRINTABLE");
        assertThat(ErasureSubject.violation("padded\u00A0")).contains("NOT_PRINTABLE");
        assertThatThrownBy(() -> new ErasureSubject("a\tb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("a\tb");
    }

    @Test
    void theHashIsTheSha256OfTheSubjectNotTheSubject() {
        // printf 'device-7' | sha256sum
        assertThat(new ErasureSubject("device-7").sha256())
                .isEqualTo("f65a5b250b6fdc53b33518b4c6a8c2775623a6e9b29b112576a2ccae2e92790f");
    }
}
