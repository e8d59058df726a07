package io.coherence.domain.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErasureSubjectTest {

    @Test
    void aStarIsTheWholeTenantAndASourceIsNot() {
        assertThat(new ErasureSubject("*").wholeTenant()).isTrue();
        assertThat(new ErasureSubject("device-7").wholeTenant()).isFalse();
        assertThat(new ErasureSubject("**").wholeTenant()).isFalse();
    }

    @Test
    void thereIsNoBlankSubject() {
        assertThatThrownBy(() -> new ErasureSubject(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErasureSubject(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theHashIsTheSha256OfTheSubjectNotTheSubject() {
        // printf 'device-7' | sha256sum
        assertThat(new ErasureSubject("device-7").sha256())
                .isEqualTo("f65a5b250b6fdc53b33518b4c6a8c2775623a6e9b29b112576a2ccae2e92790f");
    }
}
