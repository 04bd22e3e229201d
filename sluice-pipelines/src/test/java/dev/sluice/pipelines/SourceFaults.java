package dev.sluice.pipelines;

import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Source;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Source decorators that make the failures a pipeline must survive happen on demand. */
public final class SourceFaults {

    private SourceFaults() {
    }

    /**
     * Acknowledgements are dropped while {@code lost} says so, as if the process died right after each commit:
     * an SQS queue hands the messages out again once their claim ends.
     */
    public static UnaryOperator<Source> acknowledgementsLostWhile(BooleanSupplier lost) {
        return source -> new ForwardingSource(source) {
            @Override
            public void acknowledge(List<Message> messages) throws Exception {
                if (lost.getAsBoolean()) {
                    return;
                }
                super.acknowledge(messages);
            }
        };
    }
}
