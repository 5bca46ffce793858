-- Need-to-know access: assignments, shares, court seals and identity reveals; login lockout.

CREATE TABLE case_assignments (
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    assigned_by TEXT NOT NULL,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_assignments_user ON case_assignments (user_id);

-- A case shared by its owner with another unit or a whole agency, for a reason, until it expires
-- or is revoked. `parts` is 'full' (with persons) or 'summary' (case facts and stages only).
CREATE TABLE case_shares (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    to_unit_id TEXT REFERENCES units(id),
    to_agency TEXT,
    parts TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_by TEXT,
    revoked_at BIGINT
);
CREATE INDEX case_shares_case ON case_shares (case_id);
CREATE INDEX case_shares_unit ON case_shares (to_unit_id);
CREATE INDEX case_shares_agency ON case_shares (to_agency);

-- Records sealed by court order: hidden from everyone but the named users.
CREATE TABLE seals (
    entity_kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    order_ref TEXT NOT NULL,
    sealed_by TEXT NOT NULL,
    sealed_at BIGINT NOT NULL,
    PRIMARY KEY (entity_kind, entity_id)
);
CREATE TABLE seal_access (
    entity_kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (entity_kind, entity_id, user_id)
);

-- A justified look at a protected person's real identity, valid for a limited time.
CREATE TABLE identity_reveals (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    revealed_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX identity_reveals_person ON identity_reveals (person_id, user_id);

ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT;
