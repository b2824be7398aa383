"""Argon2id tuned for a regency server, not for a laptop.

Django's Argon2 defaults (100 MiB, 2 passes, 8 lanes) cost about 180 ms of CPU and 100 MiB per
check here (bench/signin): a 2-core server then signs in at most ~10 citizens a second, and a
few hundred failed tries from many addresses keep it busy. OWASP's Password Storage Cheat Sheet
lists equivalent Argon2id settings; 46 MiB, 1 pass, 1 lane costs ~38 ms of one core and 46 MiB,
so the same server handles ~50 sign-ins a second, while guessing on a GPU stays as expensive as
OWASP asks. Existing hashes with other parameters are upgraded at the next sign-in (Django's
`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class RegencyArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 47104  # KiB = 46 MiB
    parallelism = 1
