package dev.sluice.core.engine;

/**
 * A pure step from one value to the next: parse, validate, flatten, mask, enrich. A stage keeps no per-message
 * state between calls and may be called from several threads at once.
 *
 * <pre>{@code
 * Stage<Message, Login> logins = new LoginParser(schema).then(new LoginMasker(keys));
 * }</pre>
 */
@FunctionalInterface
public interface Stage<I, O> {

    Outcome<O> apply(I input);

    /** This stage followed by {@code next}; a drop or reject short-circuits. */
    default <R> Stage<I, R> then(Stage<? super O, R> next) {
        return input -> switch (apply(input)) {
            case Outcome.Emit<O> emit -> next.apply(emit.value());
            case Outcome.Drop<O> drop -> Outcome.drop(drop.why());
            case Outcome.Reject<O> reject -> Outcome.reject(reject.reason());
        };
    }
}
