-- 0005 verification lookups (Sqlite): see the Postgres file for the why.
CREATE INDEX "ix_assertions_uuid" ON "assertions" ("uuid");
