-- 0008 outbox (Sqlite): see the Postgres file for the why.

CREATE TABLE "outbox_events" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_outbox_events" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "payload_json" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "dispatched_at" TEXT NULL,
    "lease_until" TEXT NULL,
    "claim_token" TEXT NULL,
    "attempts" INTEGER NOT NULL,
    CONSTRAINT "fk_outbox_events_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "ix_outbox_events_public_id" ON "outbox_events" ("public_id");

CREATE INDEX "ix_outbox_events_dispatched_at_id" ON "outbox_events" ("dispatched_at", "id");

CREATE INDEX "ix_outbox_events_issuer_id" ON "outbox_events" ("issuer_id");

ALTER TABLE "assertions" ADD COLUMN "expiry_announced_at" TEXT NULL;

CREATE INDEX "ix_assertions_expiry_announced_at_expires" ON "assertions" ("expiry_announced_at", "expires");
