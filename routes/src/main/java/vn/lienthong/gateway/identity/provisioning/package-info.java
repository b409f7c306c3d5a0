/** Keeps the Keycloak realm in step with the registry: one client per agency, its roles and mappers, secret rotation, disable and enable. */
package vn.lienthong.gateway.identity.provisioning;
