/** Who each agency is: its Keycloak client kept in step with the registry, and the checks of its tokens. */
package vn.lienthong.gateway.identity;
