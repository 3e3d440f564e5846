-- 0016 endorsements (Sqlite): see the Postgres file for the why.

CREATE TABLE "endorsements" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_endorsements" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "target_kind" TEXT NOT NULL,
    "target_public_id" TEXT NOT NULL,
    "target_issuer_id" INTEGER NOT NULL,
    "comment" TEXT NOT NULL,
    "issued_on" TEXT NOT NULL,
    "revoked_at" TEXT NULL,
    "revocation_reason" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_endorsements_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_endorsements_issuers_target_issuer_id" FOREIGN KEY ("target_issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "ix_endorsements_public_id" ON "endorsements" ("public_id");
CREATE INDEX "ix_endorsements_target_kind_target_public_id_revoked_at" ON "endorsements" ("target_kind", "target_public_id", "revoked_at");
CREATE INDEX "ix_endorsements_issuer_id_id" ON "endorsements" ("issuer_id", "id");
CREATE INDEX "ix_endorsements_target_issuer_id" ON "endorsements" ("target_issuer_id");
CREATE UNIQUE INDEX "ix_endorsements_issuer_id_target_kind_target_public_id" ON "endorsements" ("issuer_id", "target_kind", "target_public_id") WHERE "revoked_at" IS NULL;
