-- +goose Up
-- Text the bank writes on a posting ("Depozitë cash në degë", "Transfertë") is kept as a catalogue key and its
-- parameters (a JSON object of strings) beside the description, so that each reader sees it in their own language.
-- The description keeps the Albanian text, which old rows, search and the tools read as before; a posting without
-- a key (older rows, a description the customer typed) is shown as written.
ALTER TABLE postings ADD COLUMN text_key TEXT NOT NULL DEFAULT '';
ALTER TABLE postings ADD COLUMN text_params TEXT NOT NULL DEFAULT '';

-- The language the bank writes to a customer in (SMS): 'sq' or 'en', chosen in the internet branch or taken from
-- the app's Accept-Language at login (see customer.SetLanguage).
ALTER TABLE customers ADD COLUMN language TEXT NOT NULL DEFAULT 'sq';

-- +goose Down
ALTER TABLE customers DROP COLUMN language;
ALTER TABLE postings DROP COLUMN text_params;
ALTER TABLE postings DROP COLUMN text_key;
