-- 0010 award mails (Sqlite): see the Postgres file for the why. SQLite adds columns in place; a
-- NOT NULL column needs a default for the rows already there.

ALTER TABLE "issuers" ADD COLUMN "notify_recipients" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "issuers" ADD COLUMN "default_locale" TEXT NOT NULL DEFAULT 'fr';
ALTER TABLE "issuers" ADD COLUMN "mail_sender_name" TEXT NULL;
ALTER TABLE "issuers" ADD COLUMN "mail_reply_to" TEXT NULL;
ALTER TABLE "issuers" ADD COLUMN "mail_message" TEXT NULL;

CREATE TABLE "award_mail_requests" (
    "assertion_id" INTEGER NOT NULL CONSTRAINT "pk_award_mail_requests" PRIMARY KEY,
    "address" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_award_mail_requests_assertions_assertion_id" FOREIGN KEY ("assertion_id") REFERENCES "assertions" ("id") ON DELETE RESTRICT
);

CREATE TABLE "award_mails" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_award_mails" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "assertion_id" INTEGER NOT NULL,
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
    CONSTRAINT "fk_award_mails_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_award_mails_outbox_events_event_id" FOREIGN KEY ("event_id") REFERENCES "outbox_events" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "ix_award_mails_public_id" ON "award_mails" ("public_id");

CREATE UNIQUE INDEX "ix_award_mails_event_id" ON "award_mails" ("event_id");

CREATE INDEX "ix_award_mails_status_next_attempt_at" ON "award_mails" ("status", "next_attempt_at");

CREATE INDEX "ix_award_mails_assertion_id" ON "award_mails" ("assertion_id");

CREATE INDEX "ix_award_mails_issuer_id" ON "award_mails" ("issuer_id");
