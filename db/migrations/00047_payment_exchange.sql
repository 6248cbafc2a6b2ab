-- +goose Up
-- A payment in another currency than its account's (package payment, through package fx): what left the account in
-- its currency (account_amount, 0 when the payment is in the account's currency) and the exchange it was priced
-- at when accepted — the customer's rate ("1 fx_base = fx_rate fx_quoted", an exact decimal as text) and what the
-- bank booked in lek beside it (fx_income, fx_rounding, minor units).
ALTER TABLE payments ADD COLUMN account_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN fx_rate TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN fx_base TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN fx_quoted TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN fx_income BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN fx_rounding BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE payments DROP COLUMN fx_rounding;
ALTER TABLE payments DROP COLUMN fx_income;
ALTER TABLE payments DROP COLUMN fx_quoted;
ALTER TABLE payments DROP COLUMN fx_base;
ALTER TABLE payments DROP COLUMN fx_rate;
ALTER TABLE payments DROP COLUMN account_amount;
