-- Statistics facts: a derived, de-identified copy of what the dashboards and reports count,
-- rebuilt by `refresh_statistics` (at start, on a timer, on request). No names, no ids of
-- records: cases and persons are numbered afresh at each refresh (case_key, person_key), ages
-- are bands, dates are day numbers (days since 1970-01-01) and months. Reads never touch the
-- sealed columns, so a dashboard for a year and the nation reads small indexed tables.

CREATE TABLE stat_state (
    id INTEGER PRIMARY KEY,
    refreshed_at INTEGER,
    took_ms INTEGER NOT NULL,
    cases INTEGER NOT NULL,
    persons INTEGER NOT NULL,
    encounters INTEGER NOT NULL
);
INSERT INTO stat_state (id, refreshed_at, took_ms, cases, persons, encounters) VALUES (1, NULL, 0, 0, 0, 0);

-- One row per case and crime type: TIP and SOM are never added up.
CREATE TABLE stat_cases (
    case_key INTEGER NOT NULL,
    crime_type TEXT NOT NULL,
    agency TEXT NOT NULL,
    unit TEXT NOT NULL,
    province TEXT NOT NULL,
    district TEXT NOT NULL,
    stage TEXT NOT NULL,
    reg_day INTEGER NOT NULL,
    reg_month TEXT NOT NULL,
    fir_day INTEGER,
    challan_day INTEGER,
    trial_day INTEGER,
    judgment_day INTEGER,
    convicted INTEGER NOT NULL,
    acquitted INTEGER NOT NULL
);
CREATE INDEX stat_cases_day ON stat_cases (reg_day);
CREATE INDEX stat_cases_key ON stat_cases (case_key);

-- Forms of exploitation, sections and acts of a case (kind: form | provision | act).
CREATE TABLE stat_case_codes (
    case_key INTEGER NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL
);
CREATE INDEX stat_case_codes_key ON stat_case_codes (case_key, kind);

-- One row per person named in a case, per crime type of the case.
CREATE TABLE stat_persons (
    case_key INTEGER NOT NULL,
    person_key INTEGER NOT NULL,
    crime_type TEXT NOT NULL,
    role TEXT NOT NULL,
    agency TEXT NOT NULL,
    unit TEXT NOT NULL,
    province TEXT NOT NULL,
    district TEXT NOT NULL,
    stage TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_band TEXT NOT NULL,
    minor TEXT NOT NULL,
    nationality TEXT NOT NULL,
    origin_province TEXT NOT NULL,
    origin_district TEXT NOT NULL,
    chain_role TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reg_day INTEGER NOT NULL,
    reg_month TEXT NOT NULL,
    challan_day INTEGER,
    challan_month TEXT,
    judgment_day INTEGER,
    judgment_month TEXT
);
CREATE INDEX stat_persons_reg ON stat_persons (role, reg_day);
CREATE INDEX stat_persons_challan ON stat_persons (role, challan_day);
CREATE INDEX stat_persons_judgment ON stat_persons (role, judgment_day);

-- One row per person received at intake.
CREATE TABLE stat_encounters (
    enc_key INTEGER NOT NULL,
    batch_key INTEGER NOT NULL,
    crime_type TEXT NOT NULL,
    agency TEXT NOT NULL,
    unit TEXT NOT NULL,
    province TEXT NOT NULL,
    district TEXT NOT NULL,
    post TEXT NOT NULL,
    batch_kind TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_band TEXT NOT NULL,
    minor TEXT NOT NULL,
    nationality TEXT NOT NULL,
    origin_province TEXT NOT NULL,
    origin_district TEXT NOT NULL,
    exit_point TEXT NOT NULL,
    route TEXT NOT NULL,
    mode TEXT NOT NULL,
    destination_country TEXT NOT NULL,
    arrival_day INTEGER NOT NULL,
    arrival_month TEXT NOT NULL
);
CREATE INDEX stat_encounters_day ON stat_encounters (arrival_day);

CREATE TABLE stat_encounter_transits (
    enc_key INTEGER NOT NULL,
    country TEXT NOT NULL
);
CREATE INDEX stat_encounter_transits_key ON stat_encounter_transits (enc_key);
