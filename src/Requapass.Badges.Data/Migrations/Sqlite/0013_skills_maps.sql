-- 0013 skills maps (Sqlite): see the Postgres file for the why.

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
