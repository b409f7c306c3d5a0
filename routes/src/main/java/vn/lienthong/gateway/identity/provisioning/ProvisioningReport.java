package vn.lienthong.gateway.identity.provisioning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a provisioning run did to the realm (changes) and what it found there that disagrees with
 * the registry but left alone (drift). Never holds a secret.
 *
 * @param findings every change and every drift, in the order found
 */
public record ProvisioningReport(List<Finding> findings) {

    /** Copies the list. */
    public ProvisioningReport {
        findings = List.copyOf(findings);
    }

    /** What was created or granted. */
    public List<Finding> changes() {
        return findings.stream().filter(f -> f.kind().change()).toList();
    }

    /** What disagrees with the registry and was reported, not repaired. */
    public List<Finding> drift() {
        return findings.stream().filter(f -> !f.kind().change()).toList();
    }

    /** Whether the run changed the realm. */
    public boolean changed() {
        return !changes().isEmpty();
    }

    /** Whether drift was found. */
    public boolean drifted() {
        return !drift().isEmpty();
    }

    /** The findings about one client. */
    public List<Finding> about(String clientId) {
        return findings.stream().filter(f -> f.clientId().equals(clientId)).toList();
    }

    /** One line per finding, changes first, for people. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        List<Finding> changes = changes();
        List<Finding> drift = drift();
        text.append(changes.isEmpty() ? "no changes\n" : "changes (" + changes.size() + "):\n");
        changes.forEach(f -> text.append("  ").append(f.describe()).append('\n'));
        text.append(drift.isEmpty() ? "no drift\n" : "drift, left as it is (" + drift.size() + "):\n");
        drift.forEach(f -> text.append("  ").append(f.describe()).append('\n'));
        return text.toString();
    }

    /** One thing done or found. */
    public enum Kind {
        /** A realm role was missing and was created. */
        ROLE_CREATED(true),
        /** An agency's client (or the gateway's) was missing and was created. */
        CLIENT_CREATED(true),
        /** A protocol mapper (agency claim, gateway audience) was missing and was added. */
        MAPPER_CREATED(true),
        /** A role the registry gives was missing from a service account and was granted. */
        ROLE_GRANTED(true),
        /** A client carries an {@code agency} claim for an agency the registry does not give it. */
        UNKNOWN_AGENCY_CLIENT(false),
        /** A client's {@code agency} claim names another agency than the registry does. */
        WRONG_AGENCY_CLAIM(false),
        /** A service account holds a role the registry does not give. */
        EXTRA_ROLE(false),
        /** An agency's client is disabled: it is refused on every channel. */
        CLIENT_DISABLED(false),
        /** An agency's client is set up otherwise than a confidential service-account client. */
        CLIENT_SETTINGS(false);

        private final boolean change;

        Kind(boolean change) {
            this.change = change;
        }

        /** Whether this kind is a change made (rather than drift found). */
        public boolean change() {
            return change;
        }
    }

    /**
     * One change or drift.
     *
     * @param kind     what
     * @param clientId the client concerned, or "" for the realm itself
     * @param detail   the role, mapper or setting concerned, in words
     */
    public record Finding(Kind kind, String clientId, String detail) {

        /** Checks that nothing is null. */
        public Finding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(detail, "detail");
        }

        /** A line for people. */
        public String describe() {
            String label = kind.name().toLowerCase().replace('_', ' ');
            return clientId.isEmpty() ? label + ": " + detail : label + ": " + clientId + ": " + detail;
        }
    }

    /** Collects findings during a run. */
    static final class Builder {
        private final List<Finding> findings = new ArrayList<>();

        void add(Kind kind, String clientId, String detail) {
            findings.add(new Finding(kind, clientId, detail));
        }

        ProvisioningReport build() {
            return new ProvisioningReport(Collections.unmodifiableList(findings));
        }
    }
}
