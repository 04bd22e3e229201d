/**
 * The embedded stack: real SQS (ElasticMQ), PostgreSQL, S3 (s3proxy) and Redis servers started from this JVM so
 * that Sluice runs on a laptop with one command and its integration tests run on any machine with a JDK.
 *
 * <p>This module depends on no other Sluice module: the CLI and the tests of every other module use it.
 */
package dev.sluice.local;
