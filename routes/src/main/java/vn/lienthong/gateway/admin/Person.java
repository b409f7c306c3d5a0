package vn.lienthong.gateway.admin;

import java.util.Objects;
import java.util.Set;

/**
 * A person at the operator's seat: their Keycloak user id ({@code sub}), user name and roles here
 * ({@code auditor}, {@code operator}). The audit names them {@code person:<user name>} with their id.
 */
public record Person(String id, String name, Set<String> roles) {

    public Person {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
    }

    /** The actor of audit entries for this person's acts (never an agency code: those have no colon). */
    public String actor() {
        return "person:" + name;
    }
}
