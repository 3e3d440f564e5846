-- 0015 pathways (Postgres): levels in order and the mini-game's client (issue #13, parts 3 and 5).
-- badge_classes.level_rule: how a class with a RECTEC+ level (its catalogue_code) treats the level
-- below it: 'advisory' (shown only; every class so far) or 'strict' (level N must be held before
-- N+1 is awarded). api_clients.badge_class_id: the one class a client of role 'game' awards (its
-- "Découverte" badge); null for admin and staff clients.

ALTER TABLE badge_classes ADD level_rule text NOT NULL DEFAULT 'advisory';
ALTER TABLE badge_classes ALTER COLUMN level_rule DROP DEFAULT;

ALTER TABLE api_clients ADD badge_class_id bigint;

ALTER TABLE api_clients ADD CONSTRAINT fk_api_clients_badge_classes_badge_class_id FOREIGN KEY (badge_class_id) REFERENCES badge_classes (id) ON DELETE RESTRICT;

CREATE INDEX ix_api_clients_badge_class_id ON api_clients (badge_class_id);
