-- Insider-abuse alerts raised from the audit log, and their acknowledgement by an auditor.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    window_minutes INTEGER NOT NULL,
    count INTEGER NOT NULL,
    threshold INTEGER NOT NULL,
    examples TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    ack_by TEXT,
    ack_at INTEGER,
    ack_comment TEXT,
    UNIQUE (rule, actor_name, window_start)
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_name, at);
