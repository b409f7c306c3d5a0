/**
 * The police case JSON profile ({@code police-case-json}) of MPS.C03 and MPS.A05 over Kafka: one
 * declaration per member ({@link vn.lienthong.connectors.police.PoliceProfile}) read in both
 * directions by {@link vn.lienthong.connectors.police.PoliceCaseJsonConnector}.
 */
package vn.lienthong.connectors.police;
