-- 0009 webhooks (Sqlite): see the Postgres file for the why.

CREATE TABLE "webhook_endpoints" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_webhook_endpoints" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" TEXT NOT NULL,
    "secret_cipher" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "disabled_at" TEXT NULL,
    CONSTRAINT "fk_webhook_endpoints_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);

CREATE TABLE "webhook_deliveries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "endpoint_id" INTEGER NOT NULL,
    "event_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "last_status_code" INTEGER NULL,
    "last_error" TEXT NULL,
    "lease_until" TEXT NULL,
    "claim_token" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    CONSTRAINT "fk_webhook_deliveries_outbox_events_event_id" FOREIGN KEY ("event_id") REFERENCES "outbox_events" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_webhook_deliveries_webhook_endpoints_endpoint_id" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "ix_webhook_endpoints_public_id" ON "webhook_endpoints" ("public_id");

CREATE INDEX "ix_webhook_endpoints_issuer_id_active" ON "webhook_endpoints" ("issuer_id", "active");

CREATE UNIQUE INDEX "ix_webhook_deliveries_public_id" ON "webhook_deliveries" ("public_id");

CREATE UNIQUE INDEX "ix_webhook_deliveries_endpoint_id_event_id" ON "webhook_deliveries" ("endpoint_id", "event_id");

CREATE INDEX "ix_webhook_deliveries_event_id" ON "webhook_deliveries" ("event_id");

CREATE INDEX "ix_webhook_deliveries_status_next_attempt_at" ON "webhook_deliveries" ("status", "next_attempt_at");
