/**
 * Several gateway instances on one database: which instance polls each SFTP folder, elected through
 * Spring Integration's JDBC lock registry (no home-made lock).
 */
package vn.lienthong.gateway.cluster;
