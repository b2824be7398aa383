"""Encrypted, checksummed backups that restore a wiped installation (`satupintu backup`,
`satupintu restore`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "satupintu.backup"
    label = "backup"
    verbose_name = _("Cadangan")
