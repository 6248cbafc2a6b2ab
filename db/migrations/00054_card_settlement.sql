-- +goose Up
-- The card scheme's settlement (package issuing): each clearing file's net, per currency, as the network reports it
-- (theirs) beside the issuer's own total of the file (ours). settled: the net was posted card_settlement → the
-- nostro (entry_id; '' for a net of zero); break: the two differ, nothing was posted, staff look at it.
CREATE TABLE card_settlements (
    file_id       TEXT NOT NULL,
    currency      TEXT NOT NULL,
    business_date TEXT NOT NULL,
    theirs        BIGINT NOT NULL,
    ours          BIGINT NOT NULL,
    status        TEXT NOT NULL,
    entry_id      TEXT NOT NULL,
    settled_at    BIGINT NOT NULL,
    PRIMARY KEY (file_id, currency)
);
CREATE INDEX card_settlements_status ON card_settlements (status, settled_at);

-- The file whose settlement credited a won dispute's chargeback ('' until one did).
ALTER TABLE card_disputes ADD COLUMN settlement_file TEXT NOT NULL DEFAULT '';

-- The card network sandbox's chargebacks (package cardnetwork): accepted from the issuer, credited in the
-- settlement of the next file it builds (file_id '' until then).
CREATE TABLE cardnet_chargebacks (
    id             TEXT PRIMARY KEY,
    presentment_id TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    file_id        TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);

-- +goose Down
DROP TABLE cardnet_chargebacks;
ALTER TABLE card_disputes DROP COLUMN settlement_file;
DROP TABLE card_settlements;
