-- 0015 pathways (Sqlite): see the Postgres file for the why. SQLite adds columns in place; a NOT NULL
-- column needs a default for the rows already there.

ALTER TABLE "badge_classes" ADD COLUMN "level_rule" TEXT NOT NULL DEFAULT 'advisory';

ALTER TABLE "api_clients" ADD COLUMN "badge_class_id" INTEGER NULL
    CONSTRAINT "fk_api_clients_badge_classes_badge_class_id" REFERENCES "badge_classes" ("id") ON DELETE RESTRICT;

CREATE INDEX "ix_api_clients_badge_class_id" ON "api_clients" ("badge_class_id");
