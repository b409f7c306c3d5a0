-- What the input's own signature established when the message was accepted (the connector's mark,
-- Decree 30/2020): not_applicable for formats without signatures, unsigned, or verified with the
-- signer certificate's agency, subject and SHA-256 fingerprint. Rows accepted before this column
-- existed were not checked by the gateway: they read not_applicable.
alter table message
    add column signature_status   text not null default 'not_applicable'
        check (signature_status in ('not_applicable', 'unsigned', 'verified')),
    add column signer_agency      text,
    add column signer_subject     text,
    add column signer_fingerprint text
        check (signer_fingerprint is null or signer_fingerprint ~ '^[0-9a-f]{64}$'),
    add constraint message_signer_when_verified
        check ((signature_status = 'verified') = (signer_agency is not null and signer_subject is not null
            and signer_fingerprint is not null));
