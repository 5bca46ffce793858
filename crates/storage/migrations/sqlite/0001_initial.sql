-- Nigehban schema, SQLite dialect. Never edit a migration once it has landed: add a new one.
-- Timestamps are microseconds since the Unix epoch (UTC); dates are ISO 'YYYY-MM-DD' text;
-- ids are UUIDv7 text, so both backends store and sort them alike.

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    agency TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_ur TEXT NOT NULL,
    district TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE case_counters (
    unit_id TEXT NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    agency TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    title TEXT NOT NULL,
    crime_types TEXT NOT NULL,
    exploitation_forms TEXT NOT NULL,
    province TEXT NOT NULL,
    district TEXT NOT NULL,
    offence_date TEXT NOT NULL,
    narrative TEXT,
    stage TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    search_text TEXT NOT NULL,
    UNIQUE (unit_id, year, serial)
);
CREATE INDEX cases_agency_created ON cases (agency, created_at);

CREATE TABLE case_provisions (
    case_id TEXT NOT NULL REFERENCES cases(id),
    provision TEXT NOT NULL,
    PRIMARY KEY (case_id, provision)
);

CREATE TABLE case_stage_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    reference TEXT,
    note TEXT,
    by_user TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX case_stage_events_case ON case_stage_events (case_id, at);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    name_roman TEXT,
    name_urdu TEXT,
    parentage_relation TEXT,
    parentage_roman TEXT,
    parentage_urdu TEXT,
    sex TEXT NOT NULL,
    dob TEXT,
    est_age INTEGER,
    est_age_as_of TEXT,
    nationality_claimed TEXT,
    nationality_verified TEXT,
    origin_district TEXT,
    address TEXT,
    notes TEXT,
    agency TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    search_text TEXT NOT NULL
);
CREATE INDEX persons_agency ON persons (agency);

CREATE TABLE person_identifiers (
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    country TEXT,
    PRIMARY KEY (person_id, kind, value)
);
CREATE INDEX person_identifiers_lookup ON person_identifiers (kind, value);

CREATE TABLE case_persons (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    role TEXT NOT NULL,
    chain_role TEXT,
    verdict TEXT,
    added_at INTEGER NOT NULL,
    UNIQUE (case_id, person_id, role)
);
CREATE INDEX case_persons_person ON case_persons (person_id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    origin TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id TEXT,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- The chain head: every write transaction locks this row first, which serialises audit appends
-- and, on SQLite, takes the write lock before any read (no lock-upgrade deadlocks).
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
