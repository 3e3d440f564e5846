-- 0019 data access (Sqlite): see the Postgres file for the why, and for what the rows keep and for how
-- long. SQLite adds the mail's column with its foreign key in place (a nullable column, no default).

CREATE TABLE "data_accesses" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_data_accesses" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "recipient_lookup" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "uses_left" INTEGER NOT NULL,
    "expires_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE UNIQUE INDEX "ix_data_accesses_public_id" ON "data_accesses" ("public_id");

CREATE UNIQUE INDEX "ix_data_accesses_token_hash" ON "data_accesses" ("token_hash");

CREATE INDEX "ix_data_accesses_recipient_lookup_created_at" ON "data_accesses" ("recipient_lookup", "created_at");

CREATE INDEX "ix_data_accesses_expires_at" ON "data_accesses" ("expires_at");

ALTER TABLE "award_mails" ADD COLUMN "data_access_id" INTEGER NULL CONSTRAINT "fk_award_mails_data_accesses_data_access_id" REFERENCES "data_accesses" ("id") ON DELETE CASCADE;

CREATE INDEX "ix_award_mails_data_access_id" ON "award_mails" ("data_access_id");
