-- Victim protection (issue 7): the service directory, protection files, consent per field,
-- recipient and use, referrals with their history and services, and the case plan. Lists of
-- codes are JSON text; free text about a person (assessment, cooperation, notes, plan items,
-- the name of a guardian who consented) is sealed like persons' names.

-- A provider of services: shelter, medical care, legal aid, ... `unit_id` names the unit whose
-- users (NGO case workers) answer its referrals, when it uses Nigehban.
CREATE TABLE service_providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    unit_id TEXT REFERENCES units(id),
    detail TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX service_providers_unit ON service_providers (unit_id);

-- A person identified as a victim by a unit: one file per person and unit.
CREATE TABLE victim_files (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    agency TEXT NOT NULL,
    source TEXT NOT NULL,
    intake_entry_id TEXT REFERENCES intake_entries(id),
    case_id TEXT REFERENCES cases(id),
    minor BIGINT NOT NULL,
    phase TEXT NOT NULL,
    identified_by TEXT NOT NULL REFERENCES users(id),
    identified_at BIGINT NOT NULL,
    assessment TEXT,
    cooperation TEXT,
    closed_at BIGINT,
    closure_reason TEXT,
    closure_note TEXT,
    version BIGINT NOT NULL,
    UNIQUE (person_id, unit_id)
);
CREATE INDEX victim_files_agency ON victim_files (agency, identified_at);

-- One field the person agreed to share with one recipient for one use; withdrawn, not deleted.
CREATE TABLE victim_consents (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES victim_files(id),
    provider_id TEXT NOT NULL REFERENCES service_providers(id),
    purpose TEXT NOT NULL,
    field TEXT NOT NULL,
    given_by TEXT NOT NULL,
    giver_name TEXT,
    granted_by TEXT NOT NULL REFERENCES users(id),
    granted_at BIGINT NOT NULL,
    withdrawn_by TEXT REFERENCES users(id),
    withdrawn_at BIGINT
);
CREATE INDEX victim_consents_file ON victim_consents (file_id);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES victim_files(id),
    provider_id TEXT NOT NULL REFERENCES service_providers(id),
    service TEXT NOT NULL,
    district TEXT NOT NULL,
    fields TEXT NOT NULL,
    urgent BIGINT NOT NULL,
    note TEXT,
    status TEXT NOT NULL,
    decline_reason TEXT,
    closure_reason TEXT,
    sent_by TEXT NOT NULL REFERENCES users(id),
    sent_at BIGINT NOT NULL,
    responded_at BIGINT,
    first_service_at BIGINT,
    closed_at BIGINT,
    version BIGINT NOT NULL
);
CREATE INDEX referrals_file ON referrals (file_id);
CREATE INDEX referrals_provider ON referrals (provider_id, status);

-- Each step of a referral, for both sides to read.
CREATE TABLE referral_events (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    at BIGINT NOT NULL,
    by_user TEXT NOT NULL REFERENCES users(id),
    by_unit TEXT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    reason TEXT,
    note TEXT
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, at);

CREATE TABLE referral_services (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    service TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    until_on TEXT,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX referral_services_referral ON referral_services (referral_id);

-- Goals, tasks and follow-up visits of a protection file.
CREATE TABLE victim_plan_items (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES victim_files(id),
    kind TEXT NOT NULL,
    area TEXT,
    text TEXT NOT NULL,
    on_date TEXT,
    risk TEXT,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX victim_plan_items_file ON victim_plan_items (file_id);
