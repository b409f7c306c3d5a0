/** The lifecycles of freezes, takedowns and information requests, their deadlines and escalations (DESIGN.md 7a). */
package vn.lienthong.gateway.workflows;
