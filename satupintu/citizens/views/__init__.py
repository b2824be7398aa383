"""Citizen pages, one module per flow: signup, signin (with two-step), reset, account, twostep,
and counter (the officer's confirmation in the admin)."""
