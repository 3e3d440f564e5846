-- 0006 batch jobs (Sqlite): see the Postgres file for the why.

CREATE TABLE "batch_jobs" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_batch_jobs" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "badge_class_id" INTEGER NOT NULL,
    "client_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "partial" INTEGER NOT NULL,
    "total_rows" INTEGER NOT NULL,
    "rows_json" TEXT NOT NULL,
    "next_row" INTEGER NOT NULL,
    "refused" INTEGER NOT NULL,
    "errors_json" TEXT NOT NULL,
    "failure_reason" TEXT NULL,
    "lease_until" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    CONSTRAINT "fk_batch_jobs_badge_classes_badge_class_id" FOREIGN KEY ("badge_class_id") REFERENCES "badge_classes" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_batch_jobs_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);

ALTER TABLE "assertions" ADD COLUMN "batch_job_id" INTEGER NULL
    CONSTRAINT "fk_assertions_batch_jobs_batch_job_id" REFERENCES "batch_jobs" ("id") ON DELETE RESTRICT;

ALTER TABLE "assertions" ADD COLUMN "batch_line" INTEGER NULL;

CREATE INDEX "ix_assertions_batch_job_id_batch_line" ON "assertions" ("batch_job_id", "batch_line");

CREATE INDEX "ix_batch_jobs_badge_class_id" ON "batch_jobs" ("badge_class_id");

CREATE UNIQUE INDEX "ix_batch_jobs_client_id_idempotency_key" ON "batch_jobs" ("client_id", "idempotency_key");

CREATE INDEX "ix_batch_jobs_issuer_id" ON "batch_jobs" ("issuer_id");

CREATE UNIQUE INDEX "ix_batch_jobs_public_id" ON "batch_jobs" ("public_id");

CREATE INDEX "ix_batch_jobs_status_lease_until" ON "batch_jobs" ("status", "lease_until");
