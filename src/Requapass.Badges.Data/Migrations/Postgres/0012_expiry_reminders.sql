-- 0012 expiry reminders (Postgres): an email to a badge's recipient some days before it expires
-- (issue #12, part 4). The assertion keeps only a salted hash of its recipient, and the award mail's
-- address is dropped once that mail is sent, so a reminder needs the address kept for it alone:
-- expiry_reminders holds it, written in the award's transaction, from the award until due_at (the
-- expiry less the issuer's expiry_reminder_days). The reminder scan moves it into a pending
-- award_mails row of kind 'expiry-reminder' and deletes the reminder row in one transaction;
-- revocation, the expiry announcement and an issuer turning reminders off delete it unsent.
-- award_mails.kind (added by 0011 for claim rejections) tells reminders apart: 'expiry-reminder'.

ALTER TABLE issuers ADD expiry_reminder_days integer NOT NULL DEFAULT 14;
ALTER TABLE issuers ALTER COLUMN expiry_reminder_days DROP DEFAULT;

CREATE TABLE expiry_reminders (
    assertion_id bigint NOT NULL,
    address text NOT NULL,
    locale text NOT NULL,
    due_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_expiry_reminders PRIMARY KEY (assertion_id),
    CONSTRAINT fk_expiry_reminders_assertions_assertion_id FOREIGN KEY (assertion_id) REFERENCES assertions (id) ON DELETE RESTRICT
);

CREATE INDEX ix_expiry_reminders_due_at ON expiry_reminders (due_at);

CREATE INDEX ix_assertions_issuer_id_expires ON assertions (issuer_id, expires);
