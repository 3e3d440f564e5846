-- 0002 signed badges (Sqlite): see the Postgres file for the why. SQLite adds columns in place; a
-- NOT NULL column needs a default for the rows already there.

ALTER TABLE "issuers" ADD COLUMN "default_verification" TEXT NOT NULL DEFAULT 'hosted';

CREATE TABLE "signing_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_signing_keys" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "thumbprint" TEXT NOT NULL,
    "public_key_pem" TEXT NOT NULL,
    "is_current" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "retired_at" TEXT NULL,
    CONSTRAINT "fk_signing_keys_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_signing_keys_issuer_id_thumbprint" ON "signing_keys" ("issuer_id", "thumbprint");
CREATE UNIQUE INDEX "ix_signing_keys_public_id" ON "signing_keys" ("public_id");

ALTER TABLE "assertions" ADD COLUMN "verification_type" TEXT NOT NULL DEFAULT 'hosted';
ALTER TABLE "assertions" ADD COLUMN "uuid" TEXT NULL;
ALTER TABLE "assertions" ADD COLUMN "jws" TEXT NULL;
ALTER TABLE "assertions" ADD COLUMN "signing_key_id" INTEGER NULL
    CONSTRAINT "fk_assertions_signing_keys_signing_key_id" REFERENCES "signing_keys" ("id") ON DELETE RESTRICT;
CREATE INDEX "ix_assertions_issuer_id_revoked_at" ON "assertions" ("issuer_id", "revoked_at");
CREATE INDEX "ix_assertions_signing_key_id" ON "assertions" ("signing_key_id");
