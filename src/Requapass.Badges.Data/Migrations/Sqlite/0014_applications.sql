-- 0014 applications (Sqlite): see the Postgres file for the why, and for the personal data these
-- tables keep and for how long (as long as the map: its deletion cascades to its applications,
-- their history and their mails). SQLite adds a column with its foreign key in place (a nullable
-- column, no default).

CREATE TABLE "applications" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_applications" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "badge_class_id" INTEGER NOT NULL,
    "map_id" INTEGER NOT NULL,
    "recipient_lookup" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "narrative" TEXT NOT NULL,
    "experience_public_id" TEXT NOT NULL,
    "evidence_json" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "assertion_id" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "decided_at" TEXT NULL,
    CONSTRAINT "fk_applications_assertions_assertion_id" FOREIGN KEY ("assertion_id") REFERENCES "assertions" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_applications_badge_classes_badge_class_id" FOREIGN KEY ("badge_class_id") REFERENCES "badge_classes" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_applications_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_applications_skills_maps_map_id" FOREIGN KEY ("map_id") REFERENCES "skills_maps" ("id") ON DELETE CASCADE
);

CREATE TABLE "application_events" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_application_events" PRIMARY KEY AUTOINCREMENT,
    "application_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "message" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_application_events_applications_application_id" FOREIGN KEY ("application_id") REFERENCES "applications" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_applications_public_id" ON "applications" ("public_id");

CREATE UNIQUE INDEX "ix_applications_map_id_badge_class_id" ON "applications" ("map_id", "badge_class_id") WHERE status IN ('pending', 'info-requested', 'approved');

CREATE INDEX "ix_applications_issuer_id_status_id" ON "applications" ("issuer_id", "status", "id");

CREATE INDEX "ix_applications_badge_class_id" ON "applications" ("badge_class_id");

CREATE INDEX "ix_applications_assertion_id" ON "applications" ("assertion_id");

CREATE INDEX "ix_application_events_application_id_id" ON "application_events" ("application_id", "id");

ALTER TABLE "award_mails" ADD COLUMN "application_event_id" INTEGER NULL CONSTRAINT "fk_award_mails_application_events_application_event_id" REFERENCES "application_events" ("id") ON DELETE CASCADE;

CREATE INDEX "ix_award_mails_application_event_id" ON "award_mails" ("application_event_id");
