-- 0005 verification lookups (Postgres): the verifier checks a signed badge's revocation by its
-- urn:uuid (POST /public/verify on one of our own signed badges), one indexed read per verification.
CREATE INDEX ix_assertions_uuid ON assertions (uuid);
