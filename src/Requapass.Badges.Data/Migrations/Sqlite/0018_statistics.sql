-- 0018 statistics (Sqlite): see the Postgres file for the why.

ALTER TABLE "issuers" ADD COLUMN "territory" TEXT NULL;

CREATE TABLE "verification_counts" (
    "badge_class_id" INTEGER NOT NULL,
    "month" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "pk_verification_counts" PRIMARY KEY ("badge_class_id", "month"),
    CONSTRAINT "fk_verification_counts_badge_classes_badge_class_id" FOREIGN KEY ("badge_class_id") REFERENCES "badge_classes" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_assertions_issuer_id_issued_on" ON "assertions" ("issuer_id", "issued_on");
