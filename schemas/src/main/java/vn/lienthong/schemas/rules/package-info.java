/** Business rules beyond JSON Schema: identifiers, provinces, freezes, takedowns, reports, time. */
package vn.lienthong.schemas.rules;
