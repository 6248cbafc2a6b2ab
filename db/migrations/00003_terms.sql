-- +goose Up
-- Acceptances of the Terms & Conditions of electronic banking (FEATURES P1). One row per customer and version: a
-- new version needs a new acceptance, and the old rows stay as the record of what the customer agreed to and
-- when. document says which text was accepted (individual or business), since the two differ.
CREATE TABLE terms_acceptances (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    version     TEXT NOT NULL,
    document    TEXT NOT NULL,
    accepted_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, version)
);

-- +goose Down
DROP TABLE terms_acceptances;
