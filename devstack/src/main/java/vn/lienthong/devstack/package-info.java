/**
 * The embedded stack: real Artemis, Kafka (KRaft), SFTP and PostgreSQL servers started in-process
 * on 127.0.0.1, for the one-command default and for tests.
 */
package vn.lienthong.devstack;
