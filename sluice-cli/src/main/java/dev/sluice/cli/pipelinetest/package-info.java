/**
 * {@code sluice test}: unit tests for pipeline definitions, written in YAML beside them ({@code orders.test.yaml}),
 * run without any server: sample inputs (bodies, SQS messages, Kinesis records, S3 notifications) through a
 * definition's processors, checked against the records the sink would get, the drops and the rejects with their
 * reasons. docs/testing-pipelines.md is the user's guide.
 */
package dev.sluice.cli.pipelinetest;
