-- 0018 statistics (Postgres): the barometer (issue #15, part 2). An issuer's territory (an ISO 3166-2
-- department or province code, checked by the API against its list), and verification_counts: one
-- row per badge class and UTC month (yyyymm) with the number of verifications of our badges of that
-- class, upserted by POST /public/verify (no person, no address: an aggregate counter only).
-- Two indexes serve the aggregate queries on assertions: by month of issue for REQUAPASS (covering the
-- class and the recipient key, so COUNT(DISTINCT recipient) reads the index only), and by issuer then
-- month of issue for an issuer's own figures (benchmarks/statistics.sh).

ALTER TABLE issuers ADD territory text;

CREATE TABLE verification_counts (
    badge_class_id bigint NOT NULL,
    month integer NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT pk_verification_counts PRIMARY KEY (badge_class_id, month),
    CONSTRAINT fk_verification_counts_badge_classes_badge_class_id FOREIGN KEY (badge_class_id) REFERENCES badge_classes (id) ON DELETE CASCADE
);

CREATE INDEX ix_assertions_issued_on_badge_class_id_recipient_lookup ON assertions (issued_on, badge_class_id, recipient_lookup);
CREATE INDEX ix_assertions_issuer_id_issued_on ON assertions (issuer_id, issued_on);
