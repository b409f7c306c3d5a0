/** Strict reading of untrusted bytes (size cap, byte-order mark, strict UTF-8, strict JSON), shared by the validator and every connector. */
package vn.lienthong.schemas.input;
