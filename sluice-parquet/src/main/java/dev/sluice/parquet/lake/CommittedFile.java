package dev.sluice.parquet.lake;

import dev.sluice.core.engine.Message;

import java.util.List;

/**
 * A lake file that is stored: its object key, why it rolled, and the source messages whose events it holds (the
 * ones that may now be acknowledged).
 */
public record CommittedFile(String key, LakeFileRoller.Reason reason, long rows, long bytes, List<Message> messages) {
    public CommittedFile {
        messages = List.copyOf(messages);
    }
}
