-- Organized-crime assessment following the Global Organized Crime Index: the Index's published
-- country scores (replaced edition by edition when its workbook is imported, with a record of
-- each import) and the provincial and district assessments officers make with the same
-- indicators. Scores are stored as half points (1.0 is 2, 10.0 is 20) and composites in
-- hundredths: integers, identical on both backends, and the method's arithmetic stays exact.

-- One country in one edition (2021, 2023), as the Index's workbook names and places it, with the
-- composites it publishes (checked against the scores on import).
CREATE TABLE ocindex_published (
    edition BIGINT NOT NULL,
    iso3 TEXT NOT NULL,
    name TEXT NOT NULL,
    continent TEXT NOT NULL,
    region TEXT NOT NULL,
    criminality_centi BIGINT NOT NULL,
    markets_centi BIGINT NOT NULL,
    actors_centi BIGINT NOT NULL,
    resilience_centi BIGINT NOT NULL,
    PRIMARY KEY (edition, iso3)
);

-- Each indicator score of a country in an edition (indicator codes of the ocindex crate's
-- `data/editions.toml`).
CREATE TABLE ocindex_published_scores (
    edition BIGINT NOT NULL,
    iso3 TEXT NOT NULL,
    indicator TEXT NOT NULL,
    halves BIGINT NOT NULL CHECK (halves BETWEEN 2 AND 20),
    PRIMARY KEY (edition, iso3, indicator),
    FOREIGN KEY (edition, iso3) REFERENCES ocindex_published (edition, iso3)
);

-- Every import of the published workbook: the file, its SHA-256, the editions it held and those
-- it changed (JSON arrays of years), by whom (NULL: the system, e.g. the command line).
CREATE TABLE ocindex_imports (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    editions TEXT NOT NULL,
    changed TEXT NOT NULL,
    countries BIGINT NOT NULL,
    imported_by TEXT REFERENCES users(id),
    imported_at BIGINT NOT NULL
);

-- An officer's assessment of a province or district (gazetteer codes) for a year, scoring the
-- indicators of one edition. It belongs to the agency that made it; one per agency, place and
-- year. `version` grows with every edit.
CREATE TABLE ocindex_assessments (
    id TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    edition BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    assessed_by TEXT NOT NULL REFERENCES users(id),
    assessed_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (agency, scope_kind, scope_code, year)
);
CREATE INDEX ocindex_assessments_scope ON ocindex_assessments (agency, scope_kind, scope_code, year);

-- Each indicator's score and its written justification (sealed: an assessment may name officials
-- or sources). A row id of its own lets key rotation re-seal the justification row by row.
CREATE TABLE ocindex_assessment_scores (
    id TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES ocindex_assessments(id),
    indicator TEXT NOT NULL,
    halves BIGINT NOT NULL CHECK (halves BETWEEN 2 AND 20),
    justification TEXT NOT NULL,
    UNIQUE (assessment_id, indicator)
);
