"""Sign-in with NIK + password.

The timing is kept alike whether or not an account exists: with no account, the password is
still hashed once (as Django's ModelBackend does), so response time tells nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from satupintu.identity import nik as nik_rules

from .models import Citizen


class NIKBackend(ModelBackend):
    def authenticate(self, request, nik=None, password=None, **kwargs):
        if nik is None or password is None:
            return None
        try:
            digits = nik_rules.parse(nik).digits
        except nik_rules.InvalidNIK:
            digits = None
        citizen = Citizen.objects.by_nik(digits).select_related("user").first() if digits else None
        if citizen is None:
            get_user_model()().set_password(password)  # Same cost as a real check.
            return None
        user = citizen.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
