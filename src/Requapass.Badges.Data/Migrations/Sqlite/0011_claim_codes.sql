-- 0011 claim codes (Sqlite): see the Postgres file for the why. SQLite cannot make a column
-- nullable in place: award_mails is rebuilt (new table, rows copied with kind 'award', old table
-- dropped, new one renamed, indexes made again); nothing references award_mails.

CREATE TABLE "claim_campaigns" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_claim_campaigns" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "badge_class_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "starts_at" TEXT NOT NULL,
    "ends_at" TEXT NOT NULL,
    "max_claims" INTEGER NOT NULL,
    "claim_count" INTEGER NOT NULL,
    "allowed_domains_json" TEXT NOT NULL,
    "review" INTEGER NOT NULL,
    "default_locale" TEXT NULL,
    "closed_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_claim_campaigns_badge_classes_badge_class_id" FOREIGN KEY ("badge_class_id") REFERENCES "badge_classes" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_claim_campaigns_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);

CREATE TABLE "claim_codes" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_claim_codes" PRIMARY KEY AUTOINCREMENT,
    "campaign_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "code_hash" TEXT NOT NULL,
    "sealed_code" TEXT NOT NULL,
    "used_at" TEXT NULL,
    CONSTRAINT "fk_claim_codes_claim_campaigns_campaign_id" FOREIGN KEY ("campaign_id") REFERENCES "claim_campaigns" ("id") ON DELETE RESTRICT
);

CREATE TABLE "claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_claims" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "code_id" INTEGER NULL,
    "recipient_lookup" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "narrative" TEXT NULL,
    "locale" TEXT NOT NULL,
    "address" TEXT NULL,
    "assertion_id" INTEGER NULL,
    "review_comment" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "decided_at" TEXT NULL,
    CONSTRAINT "fk_claims_assertions_assertion_id" FOREIGN KEY ("assertion_id") REFERENCES "assertions" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_claims_claim_campaigns_campaign_id" FOREIGN KEY ("campaign_id") REFERENCES "claim_campaigns" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_claims_claim_codes_code_id" FOREIGN KEY ("code_id") REFERENCES "claim_codes" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_claims_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);

CREATE INDEX "ix_claim_campaigns_badge_class_id" ON "claim_campaigns" ("badge_class_id");

CREATE INDEX "ix_claim_campaigns_issuer_id_id" ON "claim_campaigns" ("issuer_id", "id");

CREATE UNIQUE INDEX "ix_claim_campaigns_public_id" ON "claim_campaigns" ("public_id");

CREATE UNIQUE INDEX "ix_claim_codes_campaign_id_number" ON "claim_codes" ("campaign_id", "number");

CREATE UNIQUE INDEX "ix_claim_codes_code_hash" ON "claim_codes" ("code_hash");

CREATE INDEX "ix_claims_assertion_id" ON "claims" ("assertion_id");

CREATE UNIQUE INDEX "ix_claims_campaign_id_recipient_lookup" ON "claims" ("campaign_id", "recipient_lookup");

CREATE UNIQUE INDEX "ix_claims_code_id" ON "claims" ("code_id");

CREATE INDEX "ix_claims_issuer_id_status_id" ON "claims" ("issuer_id", "status", "id");

CREATE UNIQUE INDEX "ix_claims_public_id" ON "claims" ("public_id");

CREATE TABLE "award_mails_0011" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_award_mails" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "assertion_id" INTEGER NULL,
    "claim_id" INTEGER NULL,
    "issuer_id" INTEGER NOT NULL,
    "event_id" INTEGER NULL,
    "address" TEXT NULL,
    "locale" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "last_error" TEXT NULL,
    "lease_until" TEXT NULL,
    "claim_token" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    CONSTRAINT "fk_award_mails_assertions_assertion_id" FOREIGN KEY ("assertion_id") REFERENCES "assertions" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_award_mails_claims_claim_id" FOREIGN KEY ("claim_id") REFERENCES "claims" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_award_mails_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_award_mails_outbox_events_event_id" FOREIGN KEY ("event_id") REFERENCES "outbox_events" ("id") ON DELETE RESTRICT
);

INSERT INTO "award_mails_0011" ("id", "public_id", "assertion_id", "issuer_id", "event_id", "address", "locale", "message_id", "status", "attempts", "next_attempt_at", "last_error", "lease_until", "claim_token", "created_at", "updated_at", "completed_at", "kind", "claim_id")
SELECT "id", "public_id", "assertion_id", "issuer_id", "event_id", "address", "locale", "message_id", "status", "attempts", "next_attempt_at", "last_error", "lease_until", "claim_token", "created_at", "updated_at", "completed_at", 'award', NULL FROM "award_mails";

DROP TABLE "award_mails";

ALTER TABLE "award_mails_0011" RENAME TO "award_mails";

CREATE INDEX "ix_award_mails_assertion_id" ON "award_mails" ("assertion_id");

CREATE INDEX "ix_award_mails_claim_id" ON "award_mails" ("claim_id");

CREATE UNIQUE INDEX "ix_award_mails_event_id" ON "award_mails" ("event_id");

CREATE INDEX "ix_award_mails_issuer_id" ON "award_mails" ("issuer_id");

CREATE UNIQUE INDEX "ix_award_mails_public_id" ON "award_mails" ("public_id");

CREATE INDEX "ix_award_mails_status_next_attempt_at" ON "award_mails" ("status", "next_attempt_at");
