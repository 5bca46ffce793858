-- Second factor (TOTP, RFC 6238). The secret is sealed like other protected values; the last
-- accepted time step stops a code from being used twice; a session counts as signed in only once
-- its second factor is done, for the roles that need one.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN mfa_done BIGINT NOT NULL DEFAULT 0;
