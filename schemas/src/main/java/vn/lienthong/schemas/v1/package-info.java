/**
 * Java records that mirror the v1 JSON Schemas one to one; obtained only through the validator, so
 * every instance has passed the schemas and the business rules.
 */
package vn.lienthong.schemas.v1;
