-- 0020 retention and audit (Sqlite): see the Postgres file for the why.

CREATE TABLE "audit_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "actor_client_id" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "issuer_id" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_audit_entries_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "ix_audit_entries_public_id" ON "audit_entries" ("public_id");
CREATE INDEX "ix_audit_entries_issuer_id_id" ON "audit_entries" ("issuer_id", "id");
CREATE INDEX "ix_audit_entries_created_at" ON "audit_entries" ("created_at");

CREATE TABLE "worker_leases" (
    "name" TEXT NOT NULL CONSTRAINT "pk_worker_leases" PRIMARY KEY,
    "holder" TEXT NULL,
    "lease_until" TEXT NULL
);

INSERT INTO "worker_leases" ("name") VALUES ('retention');

CREATE INDEX "ix_skills_maps_last_used_at" ON "skills_maps" ("last_used_at");
CREATE INDEX "ix_applications_status_decided_at" ON "applications" ("status", "decided_at");
