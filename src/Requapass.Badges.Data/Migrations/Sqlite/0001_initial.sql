-- 0001 initial schema (Sqlite). Generated from the EF Core model once, then owned here:
-- shipped migrations are never edited; a change to the model gets a new numbered file.

CREATE TABLE "images" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_images" PRIMARY KEY AUTOINCREMENT,
    "content_type" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    "sha256" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);


CREATE TABLE "issuers" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_issuers" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "telephone" TEXT NULL,
    "description" TEXT NULL,
    "image_id" INTEGER NULL,
    "is_catalogue_owner" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_issuers_images_image_id" FOREIGN KEY ("image_id") REFERENCES "images" ("id") ON DELETE RESTRICT
);


CREATE TABLE "api_clients" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_api_clients" PRIMARY KEY AUTOINCREMENT,
    "client_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "issuer_id" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    "disabled_at" TEXT NULL,
    CONSTRAINT "fk_api_clients_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);


CREATE TABLE "badge_classes" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_badge_classes" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "language" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "criteria_narrative" TEXT NOT NULL,
    "criteria_url" TEXT NULL,
    "tags_json" TEXT NOT NULL,
    "alignments_json" TEXT NOT NULL,
    "translations_json" TEXT NOT NULL,
    "catalogue_code" TEXT NULL,
    "png_image_id" INTEGER NULL,
    "svg_image_id" INTEGER NULL,
    "archived_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_badge_classes_images_png_image_id" FOREIGN KEY ("png_image_id") REFERENCES "images" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_badge_classes_images_svg_image_id" FOREIGN KEY ("svg_image_id") REFERENCES "images" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_badge_classes_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);


CREATE TABLE "assertions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_assertions" PRIMARY KEY AUTOINCREMENT,
    "public_id" TEXT NOT NULL,
    "badge_class_id" INTEGER NOT NULL,
    "issuer_id" INTEGER NOT NULL,
    "recipient_type" TEXT NOT NULL,
    "recipient_hash" TEXT NOT NULL,
    "recipient_salt" TEXT NOT NULL,
    "recipient_lookup" TEXT NOT NULL,
    "issued_on" TEXT NOT NULL,
    "expires" TEXT NULL,
    "narrative" TEXT NULL,
    "evidence_json" TEXT NULL,
    "revoked_at" TEXT NULL,
    "revocation_reason" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_assertions_badge_classes_badge_class_id" FOREIGN KEY ("badge_class_id") REFERENCES "badge_classes" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_assertions_issuers_issuer_id" FOREIGN KEY ("issuer_id") REFERENCES "issuers" ("id") ON DELETE RESTRICT
);


CREATE TABLE "idempotency_records" (
    "client_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "assertion_id" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_idempotency_records" PRIMARY KEY ("client_id", "key"),
    CONSTRAINT "fk_idempotency_records_assertions_assertion_id" FOREIGN KEY ("assertion_id") REFERENCES "assertions" ("id") ON DELETE CASCADE
);


CREATE UNIQUE INDEX "ix_api_clients_client_id" ON "api_clients" ("client_id");


CREATE INDEX "ix_api_clients_issuer_id" ON "api_clients" ("issuer_id");


CREATE INDEX "ix_assertions_badge_class_id_id" ON "assertions" ("badge_class_id", "id");


CREATE INDEX "ix_assertions_issuer_id_id" ON "assertions" ("issuer_id", "id");


CREATE UNIQUE INDEX "ix_assertions_public_id" ON "assertions" ("public_id");


CREATE INDEX "ix_assertions_recipient_lookup_id" ON "assertions" ("recipient_lookup", "id");


CREATE UNIQUE INDEX "ix_badge_classes_issuer_id_catalogue_code" ON "badge_classes" ("issuer_id", "catalogue_code");


CREATE INDEX "ix_badge_classes_png_image_id" ON "badge_classes" ("png_image_id");


CREATE UNIQUE INDEX "ix_badge_classes_public_id" ON "badge_classes" ("public_id");


CREATE INDEX "ix_badge_classes_svg_image_id" ON "badge_classes" ("svg_image_id");


CREATE INDEX "ix_idempotency_records_assertion_id" ON "idempotency_records" ("assertion_id");


CREATE INDEX "ix_issuers_image_id" ON "issuers" ("image_id");


CREATE UNIQUE INDEX "ix_issuers_public_id" ON "issuers" ("public_id");


