-- 0007 catalogue versions (Sqlite): see the Postgres file for the why.

CREATE TABLE "catalogue_versions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_catalogue_versions" PRIMARY KEY AUTOINCREMENT,
    "version" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "updated_classes" INTEGER NOT NULL,
    "kept_classes" INTEGER NOT NULL,
    "applied_at" TEXT NOT NULL
);

ALTER TABLE "badge_classes" ADD COLUMN "catalogue_texts_hash" TEXT NULL;
