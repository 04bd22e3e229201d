package dev.sluice.pipelines.logins;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.Flattener;
import dev.sluice.core.json.JsonObjectParser;

/** Message body → validated, flattened login fields: JSON object, size limit, flattening, {@link LoginSchema}. */
public final class LoginParser implements Stage<Message, FlatRecord> {
    private final Stage<Message, FlatRecord> chain;

    public LoginParser(int maxBodyBytes) {
        Stage<Message, String> body = m -> Outcome.emit(m.body());
        this.chain = body.then(new JsonObjectParser(maxBodyBytes)).then(new Flattener(LoginSchema.SCHEMA.fieldNames())).then(LoginSchema.SCHEMA);
    }

    @Override
    public Outcome<FlatRecord> apply(Message message) {
        return chain.apply(message);
    }
}
