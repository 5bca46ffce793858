-- Record linkage and the agent register: likely duplicates for analysts to confirm or reject,
-- merges that can be undone (the merged record stays, pointing at the one it joined, so its
-- names remain as aliases), and alerts when a person shares an identifier or a case with a
-- known agent.

-- A pair of persons the linkage engine scored as likely the same. `person_a` < `person_b` (as
-- text) so a pair is stored once. Probability in millionths, match weight in thousandths of a
-- bit (integers: the same on both backends). `explanation` is JSON of field agreements (which
-- field agreed at which level and by how much), never the values themselves.
CREATE TABLE duplicate_candidates (
    id TEXT PRIMARY KEY,
    person_a TEXT NOT NULL REFERENCES persons(id),
    person_b TEXT NOT NULL REFERENCES persons(id),
    agency TEXT NOT NULL,
    probability_ppm BIGINT NOT NULL,
    weight_milli BIGINT NOT NULL,
    explanation TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    found_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_at BIGINT,
    UNIQUE (person_a, person_b)
);
CREATE INDEX duplicate_candidates_queue ON duplicate_candidates (agency, status, probability_ppm);

-- A confirmed duplicate joined into another record. Undoing sets `undone_at`; the history stays.
CREATE TABLE person_merges (
    id TEXT PRIMARY KEY,
    candidate_id TEXT REFERENCES duplicate_candidates(id),
    survivor_id TEXT NOT NULL REFERENCES persons(id),
    merged_id TEXT NOT NULL REFERENCES persons(id),
    merged_by TEXT NOT NULL REFERENCES users(id),
    merged_at BIGINT NOT NULL,
    undone_by TEXT REFERENCES users(id),
    undone_at BIGINT
);
CREATE INDEX person_merges_survivor ON person_merges (survivor_id);
CREATE INDEX person_merges_merged ON person_merges (merged_id);

ALTER TABLE persons ADD COLUMN merged_into TEXT;

-- A person who shares something with a known agent (a suspect in a case, or on a watch list):
-- `via` is the kind shared (phone, cnic, passport, bank_account, hawala_account, vehicle,
-- address, case) and `via_ref` its blind index or the case id, so one link is raised once.
CREATE TABLE agent_link_alerts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    agent_id TEXT NOT NULL REFERENCES persons(id),
    agency TEXT NOT NULL,
    via TEXT NOT NULL,
    via_ref TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    ack_by TEXT REFERENCES users(id),
    ack_at BIGINT,
    UNIQUE (person_id, agent_id, via, via_ref)
);
CREATE INDEX agent_link_alerts_agency ON agent_link_alerts (agency, raised_at);
