"""The one error of backup and restore: its message is shown to the operator as it is."""


class BackupError(Exception):
    pass
