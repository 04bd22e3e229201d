/**
 * The embedded stack: real SQS (ElasticMQ) and PostgreSQL servers started in-process so that Sluice runs on a
 * laptop with one command and its integration tests run on any machine with a JDK.
 *
 * <p>This module depends on no other Sluice module: the CLI and the tests of every other module use it.
 */
package dev.sluice.local;
