package dev.switchboard.loadgen.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SetupRateTest {

    private static final long START = TimeUnit.SECONDS.toNanos(100);

    @Test
    void countsCompletedSetupsOverTheTimeFromTheFirstArrivalToTheLastCompletion() {
        SetupRate rate = new SetupRate(START);

        rate.completed(START + TimeUnit.MILLISECONDS.toNanos(1500));
        rate.completed(START + TimeUnit.MILLISECONDS.toNanos(500));
        rate.completed(START + TimeUnit.MILLISECONDS.toNanos(1000));

        assertThat(rate.count()).isEqualTo(3);
        assertThat(rate.perSecond()).isEqualTo(2.0);
    }

    @Test
    void noCompletedSetupIsARateOfZero() {
        assertThat(new SetupRate(START).perSecond()).isZero();
    }
}
