/** Turns untrusted bytes into a typed canonical message or the complete list of what is wrong with them. */
package vn.lienthong.schemas.validation;
