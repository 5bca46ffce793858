-- Encryption at rest. Identity fields of persons, case narratives, audit details and the reasons
-- given for shares and reveals hold sealed values (XChaCha20-Poly1305 under a key kept outside the
-- database); rows written before this migration are sealed by the application at start.
-- Exact lookups go through keyed blind indexes: an identifier's `lookup`, and one row per name
-- token here. Neither reveals a value without the key.

CREATE TABLE person_name_tokens (
    person_id TEXT NOT NULL REFERENCES persons(id),
    token TEXT NOT NULL,
    PRIMARY KEY (person_id, token)
);
CREATE INDEX person_name_tokens_token ON person_name_tokens (token);

ALTER TABLE person_identifiers ADD COLUMN lookup TEXT;
CREATE INDEX person_identifiers_blind ON person_identifiers (kind, lookup);
DROP INDEX person_identifiers_lookup;
