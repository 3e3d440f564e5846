-- 0013 skills maps (Sqlite): see the Postgres file for the why. SQLite cannot make issuer_id
-- nullable in place: award_mails is rebuilt as 0011 did (rows copied, old table dropped, new one
-- renamed, indexes made again); nothing references award_mails.

CREATE TABLE "skills_maps" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_skills_maps" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "recipient_lookup" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "title" TEXT NULL,
    "last_used_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

CREATE TABLE "skills_map_experiences" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_skills_map_experiences" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "map_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "association" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "context_what" TEXT NULL,
    "context_for_whom" TEXT NULL,
    "started_on" TEXT NULL,
    "ended_on" TEXT NULL,
    "duration_months" INTEGER NULL,
    "hours_per_month" INTEGER NULL,
    "narrative" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_skills_map_experiences_skills_maps_map_id" FOREIGN KEY ("map_id") REFERENCES "skills_maps" ("id") ON DELETE CASCADE
);

CREATE TABLE "skills_map_competences" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_skills_map_competences" PRIMARY KEY AUTOINCREMENT,
    "experience_id" INTEGER NOT NULL,
    "competence_key" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "example" TEXT NULL,
    "position" INTEGER NOT NULL,
    CONSTRAINT "fk_skills_map_competences_skills_map_experiences_experience_id" FOREIGN KEY ("experience_id") REFERENCES "skills_map_experiences" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_skills_maps_public_id" ON "skills_maps" ("public_id");

CREATE UNIQUE INDEX "ix_skills_maps_token_hash" ON "skills_maps" ("token_hash");

CREATE INDEX "ix_skills_maps_recipient_lookup" ON "skills_maps" ("recipient_lookup");

CREATE UNIQUE INDEX "ix_skills_map_experiences_public_id" ON "skills_map_experiences" ("public_id");

CREATE INDEX "ix_skills_map_experiences_map_id_position" ON "skills_map_experiences" ("map_id", "position");

CREATE UNIQUE INDEX "ix_skills_map_competences_experience_id_competence_key" ON "skills_map_competences" ("experience_id", "competence_key");

CREATE TABLE "award_mails_0013" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_award_mails" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "assertion_id" INTEGER NULL,
    "claim_id" INTEGER NULL,
    "skills_map_id" INTEGER NULL,
    "issuer_id" INTEGER NULL,
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
    CONSTRAINT "fk_award_mails_outbox_events_event_id" FOREIGN KEY ("event_id") REFERENCES "outbox_events" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_award_mails_skills_maps_skills_map_id" FOREIGN KEY ("skills_map_id") REFERENCES "skills_maps" ("id") ON DELETE CASCADE
);

INSERT INTO "award_mails_0013" ("id", "public_id", "kind", "assertion_id", "claim_id", "skills_map_id", "issuer_id", "event_id", "address", "locale", "message_id", "status", "attempts", "next_attempt_at", "last_error", "lease_until", "claim_token", "created_at", "updated_at", "completed_at")
SELECT "id", "public_id", "kind", "assertion_id", "claim_id", NULL, "issuer_id", "event_id", "address", "locale", "message_id", "status", "attempts", "next_attempt_at", "last_error", "lease_until", "claim_token", "created_at", "updated_at", "completed_at" FROM "award_mails";

DROP TABLE "award_mails";

ALTER TABLE "award_mails_0013" RENAME TO "award_mails";

CREATE INDEX "ix_award_mails_assertion_id" ON "award_mails" ("assertion_id");

CREATE INDEX "ix_award_mails_claim_id" ON "award_mails" ("claim_id");

CREATE UNIQUE INDEX "ix_award_mails_event_id" ON "award_mails" ("event_id");

CREATE INDEX "ix_award_mails_issuer_id" ON "award_mails" ("issuer_id");

CREATE UNIQUE INDEX "ix_award_mails_public_id" ON "award_mails" ("public_id");

CREATE INDEX "ix_award_mails_skills_map_id" ON "award_mails" ("skills_map_id");

CREATE INDEX "ix_award_mails_status_next_attempt_at" ON "award_mails" ("status", "next_attempt_at");
