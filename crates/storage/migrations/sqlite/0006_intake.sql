-- Intake of deportees, offloadees and intercepted migrants (batches, the persons in them, their
-- screening, interview and outcome), the watch lists screened against, and blind-indexed name
-- match keys so a manifest can be screened against a million persons without reading their names.

-- Blocking keys of a person's names (order- and spelling-insensitive, from nigehban-names), each
-- blind-indexed like the name tokens: candidates for screening and linkage are found by key.
CREATE TABLE person_match_keys (
    person_id TEXT NOT NULL REFERENCES persons(id),
    key TEXT NOT NULL,
    PRIMARY KEY (person_id, key)
);
CREATE INDEX person_match_keys_key ON person_match_keys (key);

CREATE TABLE intake_batches (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    agency TEXT NOT NULL,
    kind TEXT NOT NULL,
    post TEXT NOT NULL,
    arrival_date TEXT NOT NULL,
    country TEXT,
    place TEXT,
    reference TEXT,
    notes TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX intake_batches_unit ON intake_batches (unit_id, created_at);

-- One row per manifest file taken into a batch: the same file (by hash) is taken once.
CREATE TABLE intake_imports (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES intake_batches(id),
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_added INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    by_user TEXT NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    UNIQUE (batch_id, file_hash)
);

-- One person in one batch. `fingerprint` (blind-indexed) makes re-imports add nobody twice;
-- flags, extras, the interview and the notes are sealed JSON.
CREATE TABLE intake_entries (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES intake_batches(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    import_id TEXT REFERENCES intake_imports(id),
    source_row INTEGER,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    flag_kinds TEXT NOT NULL,
    flags TEXT NOT NULL,
    victim_screening INTEGER NOT NULL,
    extras TEXT,
    interview TEXT,
    interview_saved_at INTEGER,
    interviewed_by TEXT REFERENCES users(id),
    suggestion TEXT,
    assessment TEXT,
    decision TEXT,
    outcome TEXT,
    outcome_case_id TEXT REFERENCES cases(id),
    outcome_detail TEXT,
    processed_by TEXT REFERENCES users(id),
    processed_at INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (batch_id, fingerprint),
    UNIQUE (batch_id, person_id),
    UNIQUE (batch_id, seq)
);
CREATE INDEX intake_entries_person ON intake_entries (person_id);

-- The most-wanted book and the list of the convicted: persons on them, by edition.
CREATE TABLE watchlist_entries (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    list TEXT NOT NULL,
    edition TEXT NOT NULL,
    reference TEXT,
    offence TEXT,
    added_by TEXT NOT NULL REFERENCES users(id),
    added_at INTEGER NOT NULL,
    removed_by TEXT REFERENCES users(id),
    removed_at INTEGER
);
CREATE INDEX watchlist_entries_person ON watchlist_entries (person_id);

-- One-off data tasks run by the application at start (e.g. computing the match keys of persons
-- stored before they existed), recorded once done so a large database is not scanned again.
CREATE TABLE maintenance (
    task TEXT PRIMARY KEY,
    done_at INTEGER NOT NULL
);
