-- 0022 statistics cells (Postgres): the barometer's figures per closed month, stored once computed
-- (issue #15: fast on a million assertions). One row per scope (an issuer's row id, 0 for
-- REQUAPASS-wide), measure, breakdown, UTC month (yyyymm) and key: how many, and how many distinct
-- people (never who). key '' is the month's total for breakdown 'month', and for the other breakdowns
-- the mark that the month was computed (count and people 0), so a month with no cell is not
-- recomputed. Rows older than Statistics:StoredFiguresLifetime are recomputed on the next request
-- (a late award with a past issuedOn, a revocation or an erasure changes a closed month). Aggregates
-- only; no foreign key to issuers (scope 0 is no issuer), nothing written by an award.

CREATE TABLE statistics_cells (
    scope bigint NOT NULL,
    measure text NOT NULL,
    breakdown text NOT NULL,
    month integer NOT NULL,
    key text NOT NULL,
    count bigint NOT NULL,
    people bigint NOT NULL,
    computed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_statistics_cells PRIMARY KEY (scope, measure, breakdown, month, key)
);
