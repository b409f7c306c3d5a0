/** The REST API agencies and operators use: submit, track, pull the inbox, acknowledge. */
package vn.lienthong.gateway.admin;
