/** customs-xml: seizure notices and declaration look-ups with the customs systems (MOF.CUSTOMS). */
package vn.lienthong.connectors.customs;
