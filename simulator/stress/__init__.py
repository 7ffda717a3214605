"""`ttx stress` (SPEC section 12): the week and the odds. The core is pure; `cli` is the shell."""
