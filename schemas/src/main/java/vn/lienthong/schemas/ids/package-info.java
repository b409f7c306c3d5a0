/**
 * Reusable rules for Vietnamese identifiers (tax codes, CCCD, provinces, bank BINs), name
 * comparison and the working-day calendar; reference lists are bundled as JSON data with their
 * legal or public source.
 */
package vn.lienthong.schemas.ids;
