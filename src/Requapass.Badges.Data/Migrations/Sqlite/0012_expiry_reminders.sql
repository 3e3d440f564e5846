-- 0012 expiry reminders (Sqlite): see the Postgres file for the why. SQLite adds columns in place; a
-- NOT NULL column needs a default for the rows already there.

ALTER TABLE "issuers" ADD COLUMN "expiry_reminder_days" INTEGER NOT NULL DEFAULT 14;

CREATE TABLE "expiry_reminders" (
    "assertion_id" INTEGER NOT NULL CONSTRAINT "pk_expiry_reminders" PRIMARY KEY,
    "address" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "due_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_expiry_reminders_assertions_assertion_id" FOREIGN KEY ("assertion_id") REFERENCES "assertions" ("id") ON DELETE RESTRICT
);

CREATE INDEX "ix_expiry_reminders_due_at" ON "expiry_reminders" ("due_at");

CREATE INDEX "ix_assertions_issuer_id_expires" ON "assertions" ("issuer_id", "expires");
