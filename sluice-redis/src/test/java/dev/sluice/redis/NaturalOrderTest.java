package dev.sluice.redis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NaturalOrderTest {

    @Test
    void comparesRunsOfDigitsAsNumbers() {
        List<String> expected = List.of("", "admin", "user", "user_01", "user_1", "user_2", "user_9", "user_10",
                "user_10a", "user_10b", "user_11", "user_100", "user_99999999999999999999999", "user_x");
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));

        shuffled.sort(NaturalOrder.INSTANCE);

        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void breaksTiesByPlainStringOrderSoItIsConsistentWithEquals() {
        assertThat(NaturalOrder.INSTANCE.compare("a01", "a1")).isNotZero();
        assertThat(NaturalOrder.INSTANCE.compare("a01", "a1"))
                .isEqualTo(-NaturalOrder.INSTANCE.compare("a1", "a01"));
        assertThat(NaturalOrder.INSTANCE.compare("user_7", "user_7")).isZero();
    }
}
