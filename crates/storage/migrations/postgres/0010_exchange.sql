-- Data exchange in the Human Trafficking Case Data Standard (HTCDS): each import of a file, the
-- external references of the cases and persons it brought (so a file imported twice adds
-- nothing), the values of the file that have no Nigehban field (kept sealed with their case and
-- written back on export), and the victims' contexts of a case (methods of control, type of
-- labour, country of exploitation, relation to the recruiter) that an import carried.

CREATE TABLE exchange_imports (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    cases_added BIGINT NOT NULL,
    cases_skipped BIGINT NOT NULL
);

-- A case's id in the system that sent it. `source` is the sending organisation as the file
-- names it (org_Name; empty when absent): two senders may both number their cases from 1.
-- `kept` is sealed JSON of the values without a Nigehban field.
CREATE TABLE exchange_case_refs (
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    case_id TEXT NOT NULL UNIQUE REFERENCES cases(id),
    external_number TEXT,
    import_id TEXT NOT NULL REFERENCES exchange_imports(id),
    kept TEXT,
    PRIMARY KEY (source, external_id)
);

-- A person's id in the file that brought them (one person per id within a file; across files
-- the linkage engine finds the same person twice).
CREATE TABLE exchange_person_refs (
    import_id TEXT NOT NULL REFERENCES exchange_imports(id),
    external_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (import_id, external_id)
);

-- What an import said of a victim in a case (sealed JSON of nigehban_exchange::VictimContext).
CREATE TABLE victim_contexts (
    case_id TEXT NOT NULL REFERENCES cases(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    context TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);
