"""Identity evidence that several apps share: the NIK's rules and how a NIK is protected.

Plain functions, no models: the registry (verification with Disdukcapil) and the citizen
accounts both need them, and neither should own them.
"""
