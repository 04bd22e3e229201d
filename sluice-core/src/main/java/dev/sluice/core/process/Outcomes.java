package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import java.util.function.Function;

/** What the processors do with the outcome of a building block (a parser, a flattener, a schema). */
final class Outcomes {

    private Outcomes() {
    }

    /** The emitted value through {@code next}; a drop or reject passes as it is. */
    static <A, B> Outcome<B> then(Outcome<A> outcome, Function<A, Outcome<B>> next) {
        return switch (outcome) {
            case Outcome.Emit<A> emit -> next.apply(emit.value());
            case Outcome.Drop<A> drop -> Outcome.drop(drop.why());
            case Outcome.Reject<A> reject -> Outcome.reject(reject.reason());
        };
    }

    /** The emitted value changed by {@code change}; a drop or reject passes as it is. */
    static <A, B> Outcome<B> map(Outcome<A> outcome, Function<A, B> change) {
        return then(outcome, value -> Outcome.emit(change.apply(value)));
    }
}
