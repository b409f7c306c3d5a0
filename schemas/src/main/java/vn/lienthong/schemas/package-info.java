/** The shared language of all agencies: message types, canonical records, the validator and identifier rules. */
package vn.lienthong.schemas;
