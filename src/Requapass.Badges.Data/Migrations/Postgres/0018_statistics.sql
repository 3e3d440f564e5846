-- 0018 statistics (Postgres): the barometer (issue #15, part 2). An issuer's territory (an ISO 3166-2
-- department or province code, checked by the API against its list), and verification_counts: one
-- row per badge class and UTC month (yyyymm) with the number of verifications of our badges of that
-- class, upserted by POST /public/verify (no person, no address: an aggregate counter only).
-- One index serves an issuer's own figures: its awards by month of issue. REQUAPASS-wide figures read
-- most of the table, where a sequential scan wins: an index on (issued_on, badge_class_id,
-- recipient_lookup) was tried and not chosen by the planner for 60 months of 1,000,000 assertions
-- (benchmarks/statistics.sh), and every award would have paid for it.

ALTER TABLE issuers ADD territory text;

CREATE TABLE verification_counts (
    badge_class_id bigint NOT NULL,
    month integer NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT pk_verification_counts PRIMARY KEY (badge_class_id, month),
    CONSTRAINT fk_verification_counts_badge_classes_badge_class_id FOREIGN KEY (badge_class_id) REFERENCES badge_classes (id) ON DELETE CASCADE
);

CREATE INDEX ix_assertions_issuer_id_issued_on ON assertions (issuer_id, issued_on);
