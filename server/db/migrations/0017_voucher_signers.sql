-- Who signed each voucher (issue 18): the collection's operating key from now on. NULL for vouchers
-- signed before, all by the platform's key. A collection handed over to its issuer (docs/issuers.md)
-- takes the issuing role from the platform's key, after which the contract refuses the vouchers it
-- signed: they are marked void then, and stop holding their quantity of the edition's supply.
ALTER TABLE issued_vouchers ADD COLUMN signer text;
ALTER TABLE issued_vouchers ADD COLUMN voided_at timestamptz;
